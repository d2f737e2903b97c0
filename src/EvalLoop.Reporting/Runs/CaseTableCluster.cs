using System.Text.Json.Serialization;

namespace EvalLoop.Reporting.Runs;

/// <summary>A failure cluster as the case table's cluster column and filter name it.</summary>
internal sealed record CaseTableCluster(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("name")] string Name);
