using EvalLoop.Core.Runs;

namespace EvalLoop.Suggestions.Verification;

/// <summary>A run's results folded per case: passed when every trial passed; the primary scorer's score averaged over trials (an unscored trial counts 0).</summary>
public sealed record CaseOutcome(string CaseId, bool Passed, double Score, IReadOnlyList<CaseResult> Results);

public static class CaseOutcomes
{
    public static async Task<Dictionary<string, CaseOutcome>> ReadAsync(IRunResultStore results, string runId, string scorer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        var byCase = new Dictionary<string, List<CaseResult>>(StringComparer.Ordinal);
        await foreach (var result in results.ReadAsync(runId, cancellationToken))
        {
            if (!byCase.TryGetValue(result.CaseId, out var list))
            {
                byCase[result.CaseId] = list = [];
            }

            list.Add(result);
        }

        return byCase.ToDictionary(
            kv => kv.Key,
            kv => new CaseOutcome(
                kv.Key,
                kv.Value.All(r => r.Passed),
                kv.Value.Average(r => r.Scores.FirstOrDefault(s => s.Scorer == scorer)?.Score ?? 0),
                kv.Value.OrderBy(r => r.Trial).ToList()),
            StringComparer.Ordinal);
    }
}
