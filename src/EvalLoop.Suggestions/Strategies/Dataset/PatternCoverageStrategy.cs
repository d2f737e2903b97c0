using System.Runtime.CompilerServices;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Dataset;

/// <summary>
/// When a failing label is thinly covered by the evaluated split (at most <see cref="SuggesterOptions.ThinCoverageCases"/>
/// analysed cases, most of them failing), its pass rate rests on one or two cases. Proposes moving the pool cases most
/// like the failing ones into the working split, so the pattern is measured on more cases. Pool cases already used as
/// examples in the prompt, or duplicating an evaluated input, are never moved.
/// </summary>
public sealed class PatternCoverageStrategy : ISuggestionStrategy
{
    public string Name => "coverage";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Labels.IsClassification || context.Plan.PoolSplit is null || context.Plan.WorkingSplit is null)
        {
            yield break;
        }

        var counts = context.Analysed
            .GroupBy(a => context.Labels.Find(a.Expected) ?? string.Empty)
            .ToDictionary(g => g.Key, g => (Total: g.Count(), Failed: g.Count(a => !a.Passed)), StringComparer.Ordinal);
        var thin = counts
            .Where(kv => kv.Key.Length > 0 && kv.Value.Total <= context.Options.ThinCoverageCases && kv.Value.Failed * 2 > kv.Value.Total)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (thin.Count == 0)
        {
            yield break;
        }

        var inPrompt = context.ExperimentFile is { } file ? PromptEditing.ExistingExampleInputs(file.Prompt) : [];
        var pool = context.Plan.Pool
            .Where(c => !context.LeakingPoolCaseIds.Contains(c.Id) && !inPrompt.Contains(TextKey.Normalize(c.InputText)))
            .ToList();
        var poolVectors = await Embedded.EmbedAsync(context.Embeddings, pool.Select(c => c.InputText).ToList(), cancellationToken);
        var operations = new List<DatasetOperation>();
        var rows = new List<Core.Datasets.DatasetCase>();
        var motivating = new List<string>();
        foreach (var label in thin)
        {
            var failing = context.Failures.Where(f => context.Labels.Find(f.Expected) == label).ToList();
            motivating.AddRange(failing.Select(f => f.Case.Id));
            var failingVectors = await Embedded.EmbedAsync(context.Embeddings, failing.Select(f => f.Input).ToList(), cancellationToken);
            var chosen = pool
                .Select((c, i) => (Case: c, Index: i))
                .Where(t => context.Labels.Find(t.Case.ExpectedText) == label)
                .OrderByDescending(t => failingVectors.Length == 0 ? 0 : failingVectors.Max(v => Embedded.Dot(v, poolVectors[t.Index])))
                .ThenBy(t => t.Index)
                .Take(context.Options.CoverageRowsPerLabel)
                .Select(t => t.Case)
                .ToList();
            foreach (var c in chosen)
            {
                rows.Add(c);
                operations.Add(new DatasetOperation
                {
                    Op = DatasetOperation.Move,
                    CaseId = c.Id,
                    Input = c.InputText,
                    ExpectedBefore = c.ExpectedText,
                    SplitBefore = c.Split,
                    SplitAfter = context.Plan.WorkingSplit,
                    Reason = $"'{label}' has {counts[label].Total} case(s) in the analysed half of '{context.Plan.WorkingSplit}', {counts[label].Failed} failing: one or two cases decide its pass rate.",
                });
            }
        }

        if (operations.Count == 0)
        {
            yield break;
        }

        yield return new DatasetCandidate
        {
            Strategy = Name,
            Title = $"Cover {thin.Count} thinly measured failing label(s) with {operations.Count} case(s) from '{context.Plan.PoolSplit}'",
            Summary = $"Labels {string.Join(", ", thin.Take(8))}{(thin.Count > 8 ? ", ..." : string.Empty)} fail on the few cases that measure them. Approving moves {operations.Count} '{context.Plan.PoolSplit}' case(s) like the failing ones into '{context.Plan.WorkingSplit}', so the pattern is measured on more cases (they stop being example candidates).",
            ClusterIds = context.Clusters.Where(c => c.Members.Any(m => motivating.Contains(m.CaseId, StringComparer.Ordinal))).Select(c => c.Id).ToList(),
            Provenance = new Provenance { MotivatingCaseIds = motivating, SourceCaseIds = rows.Select(r => r.Id).ToList() },
            Operations = operations,
            RowsToRun = rows,
        };
    }
}
