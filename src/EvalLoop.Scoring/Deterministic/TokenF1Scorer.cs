using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>token-f1</c>: SQuAD-style answer F1 (the official SQuAD v2.0 evaluation script). Both answers are normalised
/// (lower-cased; ASCII punctuation removed; the articles a, an, the removed; whitespace collapsed), split on whitespace,
/// and compared as bags of tokens: precision = shared / output tokens, recall = shared / expected tokens,
/// F1 = 2PR / (P + R), 0 when nothing is shared, and 1 or 0 by plain equality when either side has no tokens. When the
/// expected value is a list, each element is an acceptable answer and the best F1 counts, as SQuAD does over its gold
/// answers. No options; threshold default 0.5. A case without an expected value is an error on that case.
/// </summary>
public sealed partial class TokenF1Scorer : IScorer
{
    public const string TypeName = "token-f1";
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private readonly double _threshold;

    public TokenF1Scorer(ScorerDefinition definition)
    {
        Definition = definition;
        _ = new ScorerOptions(definition);
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        string[]? answers = input.Case.Expected switch
        {
            { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select(JsonText.ToText).ToArray(),
            { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value => [JsonText.ToText(value)],
            _ => null,
        };
        if (answers is not { Length: > 0 })
        {
            return ValueTask.FromResult(ScoreResult.Failure(ScorerValues.NoExpected));
        }

        var prediction = Tokens(input.Output);
        var best = answers.Select(a => (Answer: a, F1: F1(prediction, Tokens(a)))).MaxBy(x => x.F1);
        return ValueTask.FromResult(ScoreResult.FromScore(
            best.F1,
            _threshold,
            $"token F1 {ScorerValues.Format(best.F1)} against \"{ScorerValues.Shorten(best.Answer)}\""));
    }

    /// <summary>The SQuAD <c>normalize_answer</c> tokens of <paramref name="text"/>.</summary>
    public static string[] Tokens(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (!AsciiPunctuation.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
        }

        var withoutArticles = Articles().Replace(builder.ToString(), " ");
        return withoutArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>SQuAD's <c>compute_f1</c> over normalised tokens.</summary>
    public static double F1(string[] prediction, string[] gold)
    {
        if (prediction.Length == 0 || gold.Length == 0)
        {
            return prediction.SequenceEqual(gold, StringComparer.Ordinal) ? 1 : 0;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in gold)
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        var shared = 0;
        foreach (var token in prediction)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                shared++;
            }
        }

        if (shared == 0)
        {
            return 0;
        }

        var precision = (double)shared / prediction.Length;
        var recall = (double)shared / gold.Length;
        return 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Articles();
}
