using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Strategies.Scorer;

/// <summary>
/// For an <c>exact-match</c> scorer whose failures include answers that differ from the expected value only by letter
/// case, surrounding or repeated whitespace, or punctuation, proposes the least lenient normalisation that accepts them
/// (<c>trim</c> + <c>case_sensitive: false</c>, then <c>normalize_whitespace</c>, then <c>ignore_punctuation</c>).
/// The suggester re-scores the stored outputs under it and lists every flip.
/// </summary>
public sealed class NormalizedMatchStrategy : ISuggestionStrategy
{
    public const string ExactMatchType = "exact-match";

    private static readonly string[][] Levels =
    [
        ["trim", "case_insensitive"],
        ["trim", "case_insensitive", "normalize_whitespace"],
        ["trim", "case_insensitive", "normalize_whitespace", "ignore_punctuation"],
    ];

    public string Name => "normalized-match";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        foreach (var scorer in context.Experiment.Scorers.Where(s => s.Type == ExactMatchType))
        {
            var current = Flags(scorer.Options);
            var level = -1;
            var nearMisses = new List<string>();
            foreach (var failure in context.Analysed)
            {
                foreach (var result in failure.Results)
                {
                    var score = result.Scores.FirstOrDefault(s => s.Scorer == scorer.Name);
                    if (score is null || score.Passed || score.Error is not null || result.Output is null || failure.Expected is null || failure.Case.Expected is not { ValueKind: JsonValueKind.String })
                    {
                        continue;
                    }

                    for (var l = 0; l < Levels.Length; l++)
                    {
                        var flags = current.Union(Levels[l]).ToHashSet(StringComparer.Ordinal);
                        if (Normalize(result.Output, flags) == Normalize(failure.Expected, flags))
                        {
                            level = Math.Max(level, l);
                            nearMisses.Add(failure.Case.Id);
                            break;
                        }
                    }
                }
            }

            if (level < 0)
            {
                continue;
            }

            var proposedFlags = current.Union(Levels[level]).ToHashSet(StringComparer.Ordinal);
            var options = scorer.Options is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : [];
            options["trim"] = true;
            options["case_sensitive"] = false;
            if (proposedFlags.Contains("normalize_whitespace"))
            {
                options["normalize_whitespace"] = true;
            }

            if (proposedFlags.Contains("ignore_punctuation"))
            {
                options["ignore_punctuation"] = true;
            }

            var added = proposedFlags.Except(current).Select(f => f == "case_insensitive" ? "case_sensitive: false" : f + ": true").ToList();
            var proposed = scorer with { Options = JsonSerializer.SerializeToElement(options) };
            var ids = nearMisses.Distinct(StringComparer.Ordinal).ToList();
            yield return new ScorerCandidate
            {
                Strategy = Name,
                Title = $"Make '{scorer.Name}' forgive case, whitespace{(proposedFlags.Contains("ignore_punctuation") ? " and punctuation" : string.Empty)} ({ids.Count} failing answer(s) differ only by those)",
                Summary = $"{ids.Count} answer(s) scored as wrong by '{scorer.Name}' differ from the expected value only by {Describe(level)}, e.g. {Example(context, ids[0])}. Adds the option(s) {string.Join(", ", added)}; the stored outputs are re-scored below (no model calls).",
                ClusterIds = context.Clusters.Where(c => c.Members.Any(m => ids.Contains(m.CaseId, StringComparer.Ordinal))).Select(c => c.Id).ToList(),
                Provenance = new Provenance { MotivatingCaseIds = ids },
                Current = scorer,
                Proposed = proposed,
            };
        }
    }

    private static string Describe(int level) => level switch
    {
        0 => "letter case or surrounding whitespace",
        1 => "letter case or whitespace",
        _ => "letter case, whitespace or punctuation",
    };

    private static string Example(SuggestionContext context, string id) =>
        context.Find(id) is { } c ? $"\"{c.Output}\" for \"{c.Expected}\" ({id})" : id;

    /// <summary>The normalisation flags a scorer's options turn on.</summary>
    private static HashSet<string> Flags(JsonElement? options)
    {
        var flags = new HashSet<string>(StringComparer.Ordinal);
        if (options is not { ValueKind: JsonValueKind.Object } o)
        {
            return flags;
        }

        if (o.TryGetProperty("trim", out var trim) && trim.ValueKind == JsonValueKind.True)
        {
            flags.Add("trim");
        }

        if (o.TryGetProperty("case_sensitive", out var cs) && cs.ValueKind == JsonValueKind.False)
        {
            flags.Add("case_insensitive");
        }

        if (o.TryGetProperty("normalize_whitespace", out var ws) && ws.ValueKind == JsonValueKind.True)
        {
            flags.Add("normalize_whitespace");
        }

        if (o.TryGetProperty("ignore_punctuation", out var p) && p.ValueKind == JsonValueKind.True)
        {
            flags.Add("ignore_punctuation");
        }

        return flags;
    }

    /// <summary>The exact-match scorer's normalisation (the real scorer re-scores; this only finds candidates).</summary>
    private static string Normalize(string text, HashSet<string> flags)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        var collapse = flags.Contains("normalize_whitespace");
        foreach (var c in text)
        {
            if (flags.Contains("ignore_punctuation") && (char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                continue;
            }

            if (collapse && char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(flags.Contains("case_insensitive") ? char.ToLowerInvariant(c) : c);
        }

        var result = builder.ToString();
        return flags.Contains("trim") || collapse ? result.Trim() : result;
    }
}
