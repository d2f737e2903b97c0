using System.Runtime.CompilerServices;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Models;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Prompt;

/// <summary>
/// Adds few-shot examples for the failing clusters, drawn from the example pool (the train split) only, never from the
/// cases verification uses, and never a pool case whose input also occurs outside the pool (it would leak an evaluated
/// answer into the prompt).
/// </summary>
/// <remarks>
/// <para>
/// For a classification-like task the examples are chosen per label: for every label a cluster involves (the expected
/// labels of its cases and the wrong labels they got), up to <see cref="SuggesterOptions.ExamplesPerLabel"/> pool cases
/// of that label, those most similar to the label's failing inputs first. Examples for only some labels pull answers
/// toward those labels, so it proposes up to three candidates and lets verification choose: the labels of the largest
/// cluster, the labels of every cluster, and, when the failures already involve at least half of the labels, every label
/// (balanced).
/// </para>
/// <para>For free-text tasks it adds the pool cases nearest to the failing inputs, up to <see cref="SuggesterOptions.MaxFreeTextExamples"/>.</para>
/// </remarks>
public sealed class FewShotExamplesStrategy : ISuggestionStrategy
{
    public string Name => "few-shot";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ExperimentFile is null || !context.Failures.Any())
        {
            yield break;
        }

        var basePrompt = context.ExperimentFile.Prompt;
        var existing = PromptEditing.ExistingExampleInputs(basePrompt);
        var pool = context.Plan.Pool
            .Where(c => !context.LeakingPoolCaseIds.Contains(c.Id) && c.ExpectedText is not null && !existing.Contains(TextKey.Normalize(c.InputText)))
            .ToList();
        if (pool.Count == 0)
        {
            yield break;
        }

        var groups = Groups(context);
        if (groups.Count == 0)
        {
            yield break;
        }

        // Pool and failing inputs are embedded once; similarity orders the examples of each label.
        var failures = context.Failures.ToList();
        var poolVectors = await Embedded.EmbedAsync(context.Embeddings, pool.Select(c => c.InputText).ToList(), cancellationToken);
        var failureVectors = await Embedded.EmbedAsync(context.Embeddings, failures.Select(c => c.Input).ToList(), cancellationToken);
        var failureIndex = failures.Select((c, i) => (c.Case.Id, i)).ToDictionary(t => t.Id, t => t.i, StringComparer.Ordinal);

        var realModel = context.Experiment.Model.Provider != ModelProviders.Offline;
        var perLabel = realModel ? context.Options.ExamplesPerLabelForRealModels : context.Options.ExamplesPerLabel;
        var proposed = new HashSet<string>(StringComparer.Ordinal);

        if (context.Labels.IsClassification)
        {
            var largest = groups[0];
            var union = groups.SelectMany(g => g.Labels).Distinct(StringComparer.Ordinal).ToList();
            var variants = new List<(string Scope, IReadOnlyList<Group> Groups, IReadOnlyList<string> Labels)>
            {
                ("the largest failure pattern", [largest], largest.Labels),
                ("every failure pattern", groups, union),
            };
            if (union.Count >= context.Labels.Labels.Count / 2.0 && union.Count < context.Labels.Labels.Count)
            {
                variants.Add(("every label, balanced", groups, context.Labels.Labels));
            }

            foreach (var (scope, used, labels) in variants)
            {
                var examples = new List<PromptEditing.Example>();
                foreach (var label in labels)
                {
                    var labelFailures = failures.Where(f => context.Labels.Find(f.Expected) == label).Select(f => failureVectors[failureIndex[f.Case.Id]]).ToList();
                    examples.AddRange(pool
                        .Select((c, i) => (Case: c, Index: i))
                        .Where(t => context.Labels.Find(t.Case.ExpectedText) == label)
                        .Select(t => (t.Case, Similarity: labelFailures.Count == 0 ? 0f : labelFailures.Max(v => Embedded.Dot(v, poolVectors[t.Index])), t.Index))
                        .OrderByDescending(t => t.Similarity)
                        .ThenBy(t => t.Index)
                        .Take(perLabel)
                        .Select(t => new PromptEditing.Example(t.Case.Id, t.Case.InputText, label)));
                }

                if (examples.Count == 0)
                {
                    continue;
                }

                // Keep the pool's order in the prompt, so examples of one label are not all adjacent by construction.
                var order = pool.Select((c, i) => (c.Id, i)).ToDictionary(t => t.Id, t => t.i, StringComparer.Ordinal);
                examples.Sort((a, b) => order[a.CaseId].CompareTo(order[b.CaseId]));
                var candidate = Build(context, basePrompt, scope, used, labels.Count, examples);
                if (proposed.Add(candidate.Proposed.System ?? string.Empty))
                {
                    yield return candidate;
                }
            }
        }
        else
        {
            // Free text: the pool cases nearest to each failing input, round-robin over failures until the cap.
            var chosen = new List<PromptEditing.Example>();
            var taken = new HashSet<int>();
            var rankings = failures.Select(f => Enumerable.Range(0, pool.Count)
                .OrderByDescending(i => Embedded.Dot(failureVectors[failureIndex[f.Case.Id]], poolVectors[i]))
                .ThenBy(i => i)
                .ToList()).ToList();
            for (var rank = 0; chosen.Count < context.Options.MaxFreeTextExamples && rank < pool.Count; rank++)
            {
                foreach (var ranking in rankings)
                {
                    if (chosen.Count < context.Options.MaxFreeTextExamples && taken.Add(ranking[rank]))
                    {
                        var c = pool[ranking[rank]];
                        chosen.Add(new PromptEditing.Example(c.Id, c.InputText, c.ExpectedText!));
                    }
                }
            }

            if (chosen.Count > 0)
            {
                yield return Build(context, basePrompt, "the failing cases", groups, 0, chosen);
            }
        }
    }

    private PromptCandidate Build(SuggestionContext context, Core.Experiments.PromptDefinition basePrompt, string scope, IReadOnlyList<Group> groups, int labelCount, List<PromptEditing.Example> examples)
    {
        var motivating = groups.SelectMany(g => g.CaseIds).Distinct(StringComparer.Ordinal).ToList();
        var what = labelCount > 0 ? $"{examples.Count} examples for {labelCount} labels" : $"{examples.Count} examples";
        var source = context.Plan.PoolSplit is { } split ? $"the '{split}' split" : "the analysis cases";
        return new PromptCandidate
        {
            Strategy = Name,
            Title = $"Add {what} ({scope}) from {source}",
            Summary = $"Adds {what} to the system message, drawn from {source} for {scope}: "
                + string.Join("; ", groups.Take(5).Select(g => $"'{g.Name}' ({g.CaseIds.Count} failing cases)"))
                + (groups.Count > 5 ? $"; and {groups.Count - 5} more patterns" : string.Empty)
                + ". Examples show the model what each answer looks like where the label list alone was not enough.",
            ClusterIds = groups.Select(g => g.ClusterId).OfType<string>().ToList(),
            Provenance = new Provenance { MotivatingCaseIds = motivating, SourceCaseIds = examples.Select(e => e.CaseId).ToList() },
            Proposed = PromptEditing.AppendExamples(basePrompt, examples),
        };
    }

    /// <summary>A failure pattern as this strategy sees it: its failing cases and the labels they involve, largest first.</summary>
    private sealed record Group(string? ClusterId, string Name, IReadOnlyList<string> CaseIds, IReadOnlyList<string> Labels);

    private static List<Group> Groups(SuggestionContext context)
    {
        var groups = new List<Group>();
        IEnumerable<(string? Id, string Name, IReadOnlyList<string> Cases)> sources = context.Clusters.Count > 0
            ? context.Clusters.Where(c => c.Kind != "error").Select(c => ((string?)c.Id, c.Name, (IReadOnlyList<string>)c.Members.Select(m => m.CaseId).Distinct(StringComparer.Ordinal).ToList()))
            : [(null, "failing cases", context.Failures.Select(f => f.Case.Id).ToList())];
        foreach (var (id, name, cases) in sources)
        {
            var labels = new List<string>();
            foreach (var caseId in cases)
            {
                if (context.Find(caseId) is not { } analysed)
                {
                    continue;
                }

                foreach (var value in new[] { analysed.Expected, analysed.Output })
                {
                    if (context.Labels.Find(value) is { } label && !labels.Contains(label, StringComparer.Ordinal))
                    {
                        labels.Add(label);
                    }
                }
            }

            var present = cases.Where(c => context.Find(c) is not null).ToList();
            if (present.Count > 0)
            {
                groups.Add(new Group(id, name, present, labels));
            }
        }

        return groups.OrderByDescending(g => g.CaseIds.Count).ToList();
    }
}
