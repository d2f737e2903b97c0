using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>levenshtein</c>: <c>1 - editDistance(output, expected) / max(length)</c>, 1 when both are empty. With no options
/// the score equals Braintrust autoevals' <c>Levenshtein</c> (TypeScript), to the last bit: both sides become text as a
/// JavaScript template literal makes them (<c>`${value}`</c>: a string as it is, the number 1.0 as "1", true as "true",
/// JSON null as "null", an array as its elements joined with ",", an object as "[object Object]"), and lengths and
/// edits count UTF-16 code units, so an emoji is two.
/// </summary>
/// <remarks>
/// Options: the normalisation flags of <c>exact-match</c>, applied to both texts first (all off by default).
/// Threshold default 0.5. A case without an <c>expected</c> key is an error on that case, as autoevals throws for a
/// missing expected value (autoevals' Python package also throws for <c>None</c>; this follows TypeScript and compares
/// with "null").
/// </remarks>
public sealed class LevenshteinScorer : IScorer
{
    public const string TypeName = "levenshtein";
    private readonly TextNormalization _normalization;
    private readonly double _threshold;

    public LevenshteinScorer(ScorerDefinition definition)
    {
        Definition = definition;
        _normalization = TextNormalization.From(new ScorerOptions(definition, TextNormalization.OptionNames));
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        if (!ScorerValues.TryGetExpected(input, out var expectedValue))
        {
            return ValueTask.FromResult(ScoreResult.Failure(ScorerValues.NoExpected));
        }

        var output = _normalization.Apply(JsJson.ToText(ScorerValues.Output(input)));
        var expected = _normalization.Apply(JsJson.ToText(expectedValue));
        var distance = AutoevalsScores.Distance(output, expected);
        var score = AutoevalsScores.Levenshtein(output, expected);
        return ValueTask.FromResult(ScoreResult.FromScore(
            score,
            _threshold,
            $"{distance} edit{(distance == 1 ? string.Empty : "s")} over {Math.Max(output.Length, expected.Length)} characters from \"{ScorerValues.Shorten(expected)}\""));
    }
}
