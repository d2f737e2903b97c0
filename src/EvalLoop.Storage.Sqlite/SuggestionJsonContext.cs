using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvalLoop.Core.Suggestions;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Source-generated JSON for the suggestion columns that hold JSON: <c>cluster_ids</c> and the history
/// <c>snapshot</c>, whose keys are the <c>suggestions</c> column names.
/// </summary>
[JsonSerializable(typeof(Suggestion))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SuggestionJsonContext : JsonSerializerContext
{
    /// <summary>
    /// snake_case keys, and non-ASCII text written as-is so a title or summary stays readable in the sqlite3 shell (the
    /// values are stored, never embedded in HTML, so the relaxed escaping is safe). Built from its own options rather
    /// than from <c>Default</c>, whose static initializer may not have run yet.
    /// </summary>
    public static SuggestionJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
