using System.Globalization;
using System.Runtime.CompilerServices;
using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Dataset;

/// <summary>
/// Finds exact duplicates (the same input once case, whitespace and punctuation are ignored) and near duplicates
/// (input embeddings at or above <see cref="SuggesterOptions.NearDuplicateSimilarity"/>) across the whole dataset, and
/// proposes removing the redundant copies: a pool (train) copy of an evaluated case goes, since as a few-shot example
/// it would hand the model the evaluated answer; within one split the later copies go.
/// </summary>
/// <remarks>
/// A data hygiene check: it reads the inputs and labels of every split (the held-out one included) but never a result,
/// and what it finds never feeds a prompt suggestion.
/// </remarks>
public sealed class DuplicateCasesStrategy : ISuggestionStrategy
{
    public string Name => "duplicates";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cases = context.AllCases;
        if (cases.Count < 2)
        {
            yield break;
        }

        var parent = Enumerable.Range(0, cases.Count).ToArray();
        var exact = new HashSet<(int, int)>();
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            var key = TextKey.Normalize(cases[i].InputText);
            if (key.Length == 0)
            {
                continue;
            }

            if (firstByKey.TryGetValue(key, out var first))
            {
                Union(parent, first, i);
                exact.Add((first, i));
            }
            else
            {
                firstByKey[key] = i;
            }
        }

        var vectors = await Embedded.EmbedAsync(context.Embeddings, cases.Select(c => c.InputText).ToList(), cancellationToken);
        var threshold = (float)context.Options.NearDuplicateSimilarity;
        var near = new List<(int A, int B, float Similarity)>();
        for (var i = 0; i < cases.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var j = i + 1; j < cases.Count; j++)
            {
                var similarity = Embedded.Dot(vectors[i], vectors[j]);
                if (similarity >= threshold && Find(parent, i) != Find(parent, j))
                {
                    Union(parent, i, j);
                    near.Add((i, j, similarity));
                }
            }
        }

        var groups = Enumerable.Range(0, cases.Count).GroupBy(i => Find(parent, i)).Where(g => g.Count() > 1).Select(g => g.Order().ToList()).ToList();
        if (groups.Count == 0)
        {
            yield break;
        }

        var operations = new List<DatasetOperation>();
        var conflicts = 0;
        var poolCopies = 0;
        foreach (var group in groups)
        {
            var keep = group.FirstOrDefault(i => cases[i].Split != context.Plan.PoolSplit || context.Plan.PoolSplit is null, group[0]);
            var labels = group.Select(i => cases[i].ExpectedText).Distinct(StringComparer.Ordinal).ToList();
            if (labels.Count > 1)
            {
                conflicts++;
            }

            foreach (var i in group.Where(i => i != keep))
            {
                var kind = exact.Contains((Math.Min(i, keep), Math.Max(i, keep))) || TextKey.Normalize(cases[i].InputText) == TextKey.Normalize(cases[keep].InputText)
                    ? "exact duplicate"
                    : string.Create(CultureInfo.InvariantCulture, $"near duplicate (similarity {Embedded.Dot(vectors[i], vectors[keep]):F2})");
                var pool = context.Plan.PoolSplit is not null && cases[i].Split == context.Plan.PoolSplit && cases[keep].Split != cases[i].Split;
                poolCopies += pool ? 1 : 0;
                operations.Add(new DatasetOperation
                {
                    Op = DatasetOperation.Remove,
                    CaseId = cases[i].Id,
                    Input = cases[i].InputText,
                    ExpectedBefore = cases[i].ExpectedText,
                    SplitBefore = cases[i].Split,
                    Reason = $"{kind} of {cases[keep].Id} ({cases[keep].Split ?? "no split"}, expected {cases[keep].ExpectedText ?? "none"})"
                        + (pool ? $"; as a '{cases[i].Split}' example it would leak an evaluated answer" : string.Empty)
                        + (labels.Count > 1 ? $"; the copies disagree on the label ({string.Join(" vs ", labels)}): check which is right" : string.Empty),
                });
            }
        }

        var removed = operations.Select(o => o.CaseId).ToList();
        yield return new DatasetCandidate
        {
            Strategy = Name,
            Title = $"Remove {operations.Count} duplicate case(s) ({groups.Count} group(s){(poolCopies > 0 ? $", {poolCopies} '{context.Plan.PoolSplit}' copies of evaluated cases" : string.Empty)}{(conflicts > 0 ? $", {conflicts} with conflicting labels" : string.Empty)})",
            Summary = $"{exact.Count} exact and {near.Count} near duplicate pair(s) (similarity ≥ {context.Options.NearDuplicateSimilarity.ToString("0.00", CultureInfo.InvariantCulture)}) across the dataset. Duplicates count one case twice in a score, and a copy in the example pool of an evaluated case lets a prompt memorise the answer. Approving removes the redundant copies.",
            Provenance = new Provenance { SourceCaseIds = removed },
            Operations = operations,
        };
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        var ra = Find(parent, a);
        var rb = Find(parent, b);
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
