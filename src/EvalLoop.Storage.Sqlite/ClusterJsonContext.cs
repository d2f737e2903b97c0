using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvalLoop.Core.Analysis;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Source-generated JSON for the <c>failure_clusters</c> columns that hold JSON: scorer failures, confusion pairs and
/// top terms, with snake_case keys and non-ASCII text written as-is so it stays readable in the sqlite3 shell (the
/// values are stored, never embedded in HTML).
/// </summary>
[JsonSerializable(typeof(ScorerFailure[]))]
[JsonSerializable(typeof(ConfusionPair[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext
{
    public static ClusterJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
