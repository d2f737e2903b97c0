using System.Globalization;
using System.Runtime.CompilerServices;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Dataset;

/// <summary>
/// Flags analysed cases whose expected label is probably wrong: the model's answer agrees with the labels of the case's
/// nearest neighbours (by input embedding, among the pool and the other analysed cases) and none of those neighbours
/// carries the case's own label. Proposes relabelling them to that answer; a human decides.
/// </summary>
public sealed class SuspectLabelStrategy : ISuggestionStrategy
{
    public string Name => "suspect-labels";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Labels.IsClassification)
        {
            yield break;
        }

        var candidates = context.Failures
            .Where(f => f.ErrorKind is null && context.Labels.Find(f.Output) is { } output && output != context.Labels.Find(f.Expected) && context.Labels.Contains(f.Expected))
            .ToList();
        if (candidates.Count == 0)
        {
            yield break;
        }

        // Neighbours come from what the suggester may read: the pool and the analysed cases, with their own labels.
        var references = context.Plan.Pool.Concat(context.Analysed.Select(a => a.Case))
            .Where(c => context.Labels.Contains(c.ExpectedText))
            .DistinctBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var referenceVectors = await Embedded.EmbedAsync(context.Embeddings, references.Select(r => r.InputText).ToList(), cancellationToken);
        var candidateVectors = await Embedded.EmbedAsync(context.Embeddings, candidates.Select(c => c.Input).ToList(), cancellationToken);

        var k = context.Options.SuspectNeighbours;
        var suspects = new List<(AnalysedCase Case, string Label, List<(string Id, string Label, float Similarity)> Neighbours, int Agreeing)>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var neighbours = references
                .Select((r, j) => (r, Similarity: Embedded.Dot(candidateVectors[i], referenceVectors[j])))
                .Where(t => t.r.Id != c.Case.Id)
                .OrderByDescending(t => t.Similarity)
                .ThenBy(t => t.r.Id, StringComparer.Ordinal)
                .Take(k)
                .Select(t => (t.r.Id, Label: context.Labels.Find(t.r.ExpectedText)!, t.Similarity))
                .ToList();
            var answer = context.Labels.Find(c.Output)!;
            var own = context.Labels.Find(c.Expected)!;
            var agreeing = neighbours.Count(n => n.Label == answer);
            if (neighbours.Count == k && agreeing >= context.Options.SuspectAgreement && neighbours.All(n => n.Label != own))
            {
                suspects.Add((c, answer, neighbours, agreeing));
            }
        }

        if (suspects.Count == 0)
        {
            yield break;
        }

        var chosen = suspects
            .OrderByDescending(s => s.Agreeing)
            .ThenByDescending(s => s.Neighbours.Average(n => n.Similarity))
            .ThenBy(s => s.Case.Case.Id, StringComparer.Ordinal)
            .Take(context.Options.MaxSuspects)
            .ToList();
        var operations = chosen.Select(s => new DatasetOperation
        {
            Op = DatasetOperation.Relabel,
            CaseId = s.Case.Case.Id,
            Input = s.Case.Input,
            ExpectedBefore = s.Case.Expected,
            ExpectedAfter = s.Label,
            SplitBefore = s.Case.Case.Split,
            Reason = string.Create(CultureInfo.InvariantCulture, $"{s.Agreeing} of its {k} nearest neighbours are labelled {s.Label} (")
                + string.Join(", ", s.Neighbours.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Id} {n.Label} {n.Similarity:F2}")))
                + $"), none {s.Case.Expected}; the model answered {s.Label}.",
        }).ToList();
        var ids = chosen.Select(s => s.Case.Case.Id).ToList();
        yield return new DatasetCandidate
        {
            Strategy = Name,
            Title = $"Review {operations.Count} case(s) whose expected label is probably wrong",
            Summary = $"For {operations.Count} failing case(s) the model's answer agrees with the labels of the case's {k} nearest neighbours (at least {context.Options.SuspectAgreement} of {k}) and no neighbour carries the case's own label. Approving relabels them to the model's answer; check each one first.",
            ClusterIds = context.Clusters.Where(c => c.Members.Any(m => ids.Contains(m.CaseId, StringComparer.Ordinal))).Select(c => c.Id).ToList(),
            Provenance = new Provenance { MotivatingCaseIds = ids, SourceCaseIds = ids },
            Operations = operations,
        };
    }
}
