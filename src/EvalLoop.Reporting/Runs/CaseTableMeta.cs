using System.Text.Json.Serialization;

namespace EvalLoop.Reporting.Runs;

/// <summary>What the case table's script needs besides the rows: scorer names, cluster names, the page size.</summary>
internal sealed record CaseTableMeta(
    [property: JsonPropertyName("scorers")] IReadOnlyList<string> Scorers,
    [property: JsonPropertyName("clusters")] IReadOnlyList<CaseTableCluster> Clusters,
    [property: JsonPropertyName("pageSize")] int PageSize);

internal sealed record CaseTableCluster(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("name")] string Name);

/// <summary>
/// Source-generated serializer of <see cref="CaseTableMeta"/>. Its default encoder escapes <c>&lt;</c>, <c>&gt;</c> and
/// <c>&amp;</c>, so the JSON is safe inside a script block.
/// </summary>
[JsonSerializable(typeof(CaseTableMeta))]
internal sealed partial class CaseTableMetaContext : JsonSerializerContext;
