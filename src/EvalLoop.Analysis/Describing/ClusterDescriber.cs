using System.Globalization;
using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;

namespace EvalLoop.Analysis.Describing;

/// <summary>
/// Turns a group of failures into a <see cref="FailureCluster"/>: its kind, confusion pairs and scorer failures, and a
/// heuristic name and one-line description built from the dominant structured signal ("expected card_arrival,
/// answered card_delivery_estimate") and the cluster's distinctive terms.
/// </summary>
internal static class ClusterDescriber
{
    /// <summary>A kind shared by at least this share of the members is the cluster's kind; otherwise it is mixed.</summary>
    private const double DominantShare = 0.6;

    /// <summary>A pair, label or message covering at least this share of the members names the cluster.</summary>
    private const double NamingShare = 0.5;

    private const int MaxConfusionPairs = 20;

    private const int MaxQuotedLength = 40;

    public static FailureCluster Describe(
        string id,
        int index,
        int totalFailures,
        IReadOnlyList<FailureCase> members,
        IReadOnlyList<FailureCase> representatives,
        IReadOnlyList<string> topTerms,
        IReadOnlyList<string> scorerOrder)
    {
        var size = members.Count;
        var kind = members.GroupBy(m => m.Kind).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First() is var top
            && top.Count() >= DominantShare * size ? top.Key : FailureKinds.Mixed;
        var pairs = members.Where(m => m.Pair is not null)
            .GroupBy(m => m.Pair!.Value)
            .Select(g => new ConfusionPair(g.Key.Expected, g.Key.Output, g.Count()))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Expected, StringComparer.Ordinal).ThenBy(p => p.Output, StringComparer.Ordinal)
            .ToList();
        var scorers = ScorerFailures(members, scorerOrder);
        var share = totalFailures == 0 ? 0 : size / (double)totalFailures;
        var (name, description) = Name(kind, members, pairs, scorers, topTerms, share);
        return new FailureCluster(
            id,
            index,
            name,
            description,
            share,
            members.Select(m => new ClusterMember(m.CaseId, m.Trial)).ToList(),
            representatives.Select(m => new ClusterMember(m.CaseId, m.Trial)).ToList(),
            kind,
            scorers,
            pairs.Take(MaxConfusionPairs).ToList(),
            topTerms.ToList());
    }

    /// <summary>
    /// The structured signal that names a cluster of one kind, when most members share it: the confusion pair, the
    /// invalid answer, or the expected label of empty answers; null otherwise. Two clusters with the same key would get
    /// the same name and call for the same fix, so the analyzer merges them.
    /// </summary>
    public static string? SignalKey(string kind, IReadOnlyList<FailureCase> members)
    {
        var values = kind switch
        {
            FailureKinds.Confusion => members.Select(m => m.Pair is { } pair ? $"{pair.Expected}\u0000{pair.Output}" : null),
            FailureKinds.InvalidLabel => members.Select(m => m.Output?.Trim()),
            FailureKinds.EmptyOutput => members.Select(m => m.Expected?.Trim()),
            _ => [],
        };
        var top = Top(values.OfType<string>());
        return top.Value is not null && top.Count >= NamingShare * members.Count ? $"{kind}\u0000{top.Value}" : null;
    }

    /// <summary>Per scorer (in the experiment's order, then any other): members it failed and their mean score.</summary>
    private static List<ScorerFailure> ScorerFailures(IReadOnlyList<FailureCase> members, IReadOnlyList<string> scorerOrder)
    {
        var names = scorerOrder.Concat(members.SelectMany(m => m.Scores.Select(s => s.Scorer))).Distinct(StringComparer.Ordinal);
        var result = new List<ScorerFailure>();
        foreach (var name in names)
        {
            var records = members.SelectMany(m => m.Scores.Where(s => s.Scorer == name)).ToList();
            if (records.Count == 0)
            {
                continue;
            }

            var scored = records.Where(s => s.Score is not null).Select(s => s.Score!.Value).ToList();
            var failed = records.Count(s => !s.Passed);
            if (failed > 0)
            {
                result.Add(new ScorerFailure(name, failed, scored.Count == 0 ? null : Math.Round(scored.Average(), 6)));
            }
        }

        return result;
    }

    private static (string Name, string Description) Name(
        string kind,
        IReadOnlyList<FailureCase> members,
        List<ConfusionPair> pairs,
        List<ScorerFailure> scorers,
        IReadOnlyList<string> terms,
        double share)
    {
        var size = members.Count;
        var lead = string.Create(CultureInfo.InvariantCulture, $"{Cases(size)} ({Percent(share)} of failures)");
        var words = terms.Count > 0 ? $" Distinctive words: {string.Join(", ", terms.Take(5))}." : string.Empty;
        var termName = terms.Count > 0 ? string.Join(", ", terms.Take(3)) : null;
        switch (kind)
        {
            case FailureKinds.Error:
            {
                var errorKind = Top(members.Select(m => m.ErrorKind ?? "unknown")).Value;
                var message = Top(members.Select(m => m.ErrorMessage ?? string.Empty).Where(m => m.Length > 0));
                var example = message.Value is { Length: > 0 } text ? $", e.g. \"{Quote(text, 80)}\"" : string.Empty;
                return ($"{errorKind} errors", $"{lead} got no output: the model call failed with {errorKind}{example}.");
            }

            case FailureKinds.EmptyOutput:
            {
                var expected = Top(members.Select(m => m.Expected?.Trim()).OfType<string>());
                var detail = expected.Count >= NamingShare * size && expected.Value is { } label
                    ? string.Create(CultureInfo.InvariantCulture, $", mostly where {label} was expected ({expected.Count} of {size})")
                    : string.Empty;
                return (expected.Count >= NamingShare * size && expected.Value is { } l ? $"empty answers for {l}" : "empty answers",
                    $"{lead} answered with nothing{detail}.{words}");
            }

            case FailureKinds.InvalidLabel:
            {
                var outputs = members.Where(m => m.Kind == FailureKinds.InvalidLabel).Select(m => m.Output!.Trim()).ToList();
                var topOutput = Top(outputs);
                var examples = outputs.GroupBy(o => o, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"\"{Quote(g.Key)}\" x{g.Count()}"));
                var name = topOutput.Count >= NamingShare * size ? $"answers \"{Quote(topOutput.Value!)}\", not a label" : "answers outside the label set";
                return (name, $"{lead} answered with a label that does not exist: {string.Join(", ", examples)}.{words}");
            }

            case FailureKinds.Confusion:
                return ConfusionName(members, pairs, lead, words, termName);

            case FailureKinds.Scorer:
            {
                var scorer = scorers.OrderByDescending(s => s.Failed).FirstOrDefault();
                if (scorer is null)
                {
                    return (termName is null ? "failed cases" : $"failed: {termName}", $"{lead} failed.");
                }

                var mean = scorer.MeanScore is { } m ? string.Create(CultureInfo.InvariantCulture, $" (mean score {m:0.00})") : string.Empty;
                return (termName is null ? $"{scorer.Scorer} fails" : $"{scorer.Scorer} fails: {termName}",
                    string.Create(CultureInfo.InvariantCulture, $"{lead} fail {scorer.Scorer}{mean}.{(termName is null ? words : string.Empty)}"));
            }

            default:
            {
                var breakdown = members.GroupBy(m => m.Kind).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
                return (termName is null ? "mixed failures" : $"mixed: {termName}", $"{lead} of several kinds: {string.Join(", ", breakdown)}.");
            }
        }
    }

    private static (string Name, string Description) ConfusionName(IReadOnlyList<FailureCase> members, List<ConfusionPair> pairs, string lead, string words, string? termName)
    {
        var size = members.Count;
        if (pairs.Count == 0)
        {
            return ("wrong labels", $"{lead} answered a wrong label.{words}");
        }

        var first = pairs[0];
        if (first.Count >= NamingShare * size)
        {
            var others = pairs.Skip(1).Take(1).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Expected} -> {p.Output} ({p.Count})")).ToList();
            var also = others.Count > 0 ? $"; also {string.Join(", ", others)}" : string.Empty;
            return ($"{first.Expected} \u2192 {first.Output}",
                string.Create(CultureInfo.InvariantCulture, $"{lead}: expected {first.Expected}, answered {first.Output} ({first.Count} of {size}){also}.{words}"));
        }

        var expected = Top(pairs.SelectMany(p => Enumerable.Repeat(p.Expected, p.Count)));
        if (expected.Count >= NamingShare * size)
        {
            var answers = pairs.Where(p => p.Expected == expected.Value).Take(3).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Output} ({p.Count})"));
            return ($"{expected.Value} \u2192 other labels",
                string.Create(CultureInfo.InvariantCulture, $"{lead}: expected {expected.Value}, answered {string.Join(", ", answers)}.{words}"));
        }

        var output = Top(pairs.SelectMany(p => Enumerable.Repeat(p.Output, p.Count)));
        if (output.Count >= NamingShare * size)
        {
            var instead = pairs.Where(p => p.Output == output.Value).Take(3).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Expected} ({p.Count})"));
            return ($"other labels \u2192 {output.Value}",
                string.Create(CultureInfo.InvariantCulture, $"{lead}: answered {output.Value} where {string.Join(", ", instead)} was expected.{words}"));
        }

        // The name already carries the distinctive words when there are some.
        var common = string.Join(", ", pairs.Take(2).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Expected} -> {p.Output} ({p.Count})")));
        return (termName is null ? "label confusions" : $"label confusions: {termName}",
            string.Create(CultureInfo.InvariantCulture, $"{lead} answered a wrong label, over {pairs.Count} pairs; most often {common}.{(termName is null ? words : string.Empty)}"));
    }

    private static (string? Value, int Count) Top(IEnumerable<string> values)
    {
        var top = values.GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        return top is null ? (null, 0) : (top.Key, top.Count());
    }

    private static string Cases(int count) => count == 1 ? "1 case" : string.Create(CultureInfo.InvariantCulture, $"{count} cases");

    /// <summary>"41%": invariant digits with no space (the invariant culture's P format puts one in).</summary>
    internal static string Percent(double share) =>
        share is > 0 and < 0.005 ? "<1%" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(share * 100):0}%");

    /// <summary>A single line of at most <paramref name="max"/> characters, for quoting an output in a name.</summary>
    internal static string Quote(string text, int max = MaxQuotedLength)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        if (line.Length <= max)
        {
            return line;
        }

        // Never cut between the two halves of a surrogate pair (an emoji, a rare CJK character).
        var cut = char.IsHighSurrogate(line[max - 2]) ? max - 2 : max - 1;
        return line[..cut].TrimEnd() + "\u2026";
    }
}
