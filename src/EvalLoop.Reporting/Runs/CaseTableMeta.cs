using System.Text.Json.Serialization;

namespace EvalLoop.Reporting.Runs;

/// <summary>What the case table's script needs besides the rows: scorer names, cluster names, the page size.</summary>
internal sealed record CaseTableMeta(
    [property: JsonPropertyName("scorers")] IReadOnlyList<string> Scorers,
    [property: JsonPropertyName("clusters")] IReadOnlyList<CaseTableCluster> Clusters,
    [property: JsonPropertyName("pageSize")] int PageSize);
