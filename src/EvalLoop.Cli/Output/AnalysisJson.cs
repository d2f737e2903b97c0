using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Analysis;

namespace EvalLoop.Cli.Output;

/// <summary>
/// The machine-readable failure analysis printed by <c>analyze --json</c> (and under <c>"analysis"</c> by
/// <c>run --json</c> when the experiment asks for it): <c>run_id</c>, <c>failures</c>, the analyzer's version and
/// parameters, and the clusters, largest first, each with its dataset <c>case_ids</c>.
/// </summary>
public static class AnalysisJson
{
    public static JsonObject Build(ClusterAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        JsonNode? parameters;
        try
        {
            parameters = JsonNode.Parse(analysis.ParametersJson);
        }
        catch (JsonException)
        {
            parameters = analysis.ParametersJson;
        }

        return new JsonObject
        {
            ["run_id"] = analysis.RunId,
            ["failures"] = analysis.FailureCount,
            ["analyzer_version"] = analysis.AnalyzerVersion,
            ["created_at"] = analysis.CreatedAt,
            ["parameters"] = parameters,
            ["clusters"] = new JsonArray(analysis.Clusters.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["index"] = c.Index,
                ["name"] = c.Name,
                ["description"] = c.Description,
                ["kind"] = c.Kind,
                ["size"] = c.Size,
                ["share"] = Math.Round(c.Share, 6),
                ["case_ids"] = new JsonArray(c.Members.Select(m => m.CaseId).Distinct(StringComparer.Ordinal).Select(id => (JsonNode)id).ToArray()),
                ["members"] = new JsonArray(c.Members.Select(Member).ToArray()),
                ["representatives"] = new JsonArray(c.Representatives.Select(Member).ToArray()),
                ["scorer_failures"] = new JsonArray(c.ScorerFailures.Select(s => (JsonNode)new JsonObject
                {
                    ["scorer"] = s.Scorer,
                    ["failed"] = s.Failed,
                    ["mean_score"] = s.MeanScore,
                }).ToArray()),
                ["confusion_pairs"] = new JsonArray(c.ConfusionPairs.Select(p => (JsonNode)new JsonObject
                {
                    ["expected"] = p.Expected,
                    ["output"] = p.Output,
                    ["count"] = p.Count,
                }).ToArray()),
                ["top_terms"] = new JsonArray(c.TopTerms.Select(t => (JsonNode)t).ToArray()),
                ["named_by"] = c.NamedBy,
            }).ToArray()),
        };

        static JsonNode Member(ClusterMember member) => new JsonObject { ["case_id"] = member.CaseId, ["trial"] = member.Trial };
    }
}
