using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>exact-match</c>: 1 when the output equals the expected value, else 0. With no options the score equals Braintrust
/// autoevals' <c>ExactMatch</c> (see <see cref="AutoevalsScores.ExactMatchTexts"/>): a string expected value is compared
/// as it is; a number or boolean as JavaScript prints it (the output "123" equals 123, and "1" equals 1.0); an object,
/// an array or JSON <c>null</c> as <c>JSON.stringify</c> text, with an output that parses as JSON re-serialised first, so
/// whitespace in the output does not matter but key order does.
/// </summary>
/// <remarks>
/// Options: <c>trim</c>, <c>case_sensitive</c> (default true), <c>normalize_whitespace</c>, <c>ignore_punctuation</c>,
/// all off by default and applied to both compared texts. Threshold default 1. One deliberate difference from
/// autoevals, which compares with <c>null</c> when there is no expected value: a case without an <c>expected</c> key is
/// an error on that case (it is almost always a dataset mistake); an explicit <c>"expected": null</c> is compared.
/// </remarks>
public sealed class ExactMatchScorer : IScorer
{
    public const string TypeName = "exact-match";
    private readonly TextNormalization _normalization;
    private readonly double _threshold;

    public ExactMatchScorer(ScorerDefinition definition)
    {
        Definition = definition;
        _normalization = TextNormalization.From(new ScorerOptions(definition, TextNormalization.OptionNames));
        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        if (!ScorerValues.TryGetExpected(input, out var expectedValue))
        {
            return ValueTask.FromResult(ScoreResult.Failure(ScorerValues.NoExpected));
        }

        var (output, expected) = AutoevalsScores.ExactMatchTexts(ScorerValues.Output(input), expectedValue);
        var match = string.Equals(_normalization.Apply(output), _normalization.Apply(expected), StringComparison.Ordinal);
        var rationale = match
            ? $"output equals expected ({_normalization.Describe()})"
            : $"output differs from expected \"{ScorerValues.Shorten(expected)}\" ({_normalization.Describe()} comparison)";
        return ValueTask.FromResult(ScoreResult.FromScore(match ? 1 : 0, _threshold, rationale));
    }
}
