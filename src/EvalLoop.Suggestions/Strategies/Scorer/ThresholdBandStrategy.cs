using System.Globalization;
using System.Runtime.CompilerServices;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Strategies.Scorer;

/// <summary>
/// For a scorer with graded scores whose threshold sits inside a dense band of scores (at least a fifth of the scored
/// results within ±0.05 of it), a tiny change of a score flips pass and fail: proposes moving the threshold to the middle
/// of the widest gap between neighbouring scores whose middle lies within ±0.15 of it, where decisions are stable. Re-scoring compares the stored scores with
/// the new threshold; the scorer itself is never called again.
/// </summary>
public sealed class ThresholdBandStrategy : ISuggestionStrategy
{
    private const double Band = 0.05;
    private const double Reach = 0.15;
    private const double DenseShare = 0.2;
    private const int MinScored = 10;

    public string Name => "threshold";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        foreach (var scorer in context.Experiment.Scorers.Where(s => s.Threshold is not null))
        {
            var threshold = scorer.Threshold!.Value;
            var scores = context.Analysed
                .SelectMany(a => a.Results)
                .Select(r => r.Scores.FirstOrDefault(s => s.Scorer == scorer.Name)?.Score)
                .OfType<double>()
                .ToList();
            if (scores.Count < MinScored || scores.All(s => s is 0 or 1))
            {
                continue;
            }

            var near = scores.Count(s => Math.Abs(s - threshold) <= Band);
            if (near < DenseShare * scores.Count)
            {
                continue;
            }

            // The widest gap between neighbouring scores whose middle lies within reach of the threshold.
            var sorted = scores.Distinct().Order().ToList();
            var best = (Gap: 0.0, Middle: threshold);
            for (var i = 1; i < sorted.Count; i++)
            {
                var gap = sorted[i] - sorted[i - 1];
                var middle = Math.Round((sorted[i] + sorted[i - 1]) / 2, 3);
                if (gap > best.Gap && Math.Abs(middle - threshold) <= Reach)
                {
                    best = (gap, middle);
                }
            }

            if (best.Gap <= 0 || Math.Abs(best.Middle - threshold) < 1e-9)
            {
                continue;
            }

            var affected = context.Analysed
                .Where(a => a.Results.Any(r => r.Scores.FirstOrDefault(s => s.Scorer == scorer.Name)?.Score is { } s && Math.Abs(s - threshold) <= Band))
                .Select(a => a.Case.Id)
                .ToList();
            yield return new ScorerCandidate
            {
                Strategy = Name,
                Title = string.Create(CultureInfo.InvariantCulture, $"Move '{scorer.Name}' threshold from {threshold:0.###} to {best.Middle:0.###} (out of a dense band of scores)"),
                Summary = string.Create(CultureInfo.InvariantCulture, $"{near} of {scores.Count} scores ({(double)near / scores.Count:P0}) lie within ±{Band} of the threshold {threshold:0.###}, so small score noise flips pass and fail. {best.Middle:0.###} is the middle of the widest gap between scores near it ({best.Gap:0.###} wide). Re-scored below from the stored scores."),
                Provenance = new Provenance { MotivatingCaseIds = affected },
                Current = scorer,
                Proposed = scorer with { Threshold = best.Middle },
                ThresholdOnly = true,
            };
        }
    }
}
