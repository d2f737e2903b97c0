using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>numeric-diff</c>: how close the output number is to the expected one, equal to Braintrust autoevals'
/// <c>NumericDiff</c> (see <see cref="AutoevalsScores.NumericDiff"/>): 1 when both are 0, otherwise
/// <c>1 - |expected - output| / (|expected| + |output|)</c> computed after scaling both by the larger magnitude, so
/// 10 vs 5 scores 2/3, numbers of opposite signs score 0, 0 vs any other number scores 0, and the largest doubles
/// neither overflow nor give NaN.
/// </summary>
/// <remarks>
/// The output is the model's text trimmed and read as a number (invariant culture: <c>42</c>, <c>-1.5e3</c>), or a JSON
/// number given to <c>evalloop score</c>; the expected value is a JSON number or a string holding one. Where
/// autoevals would coerce anything with JavaScript's <c>Number()</c> (the empty string becomes 0, "abc" gives a NaN
/// score), an output or expected value that is not a finite number is an error on that case. No options; threshold
/// default 0.5.
/// </remarks>
public sealed class NumericDiffScorer : IScorer
{
    public const string TypeName = "numeric-diff";
    private readonly double _threshold;

    public NumericDiffScorer(ScorerDefinition definition)
    {
        Definition = definition;
        _ = new ScorerOptions(definition);
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        if (!ScorerValues.TryGetExpected(input, out var expectedValue))
        {
            return ValueTask.FromResult(ScoreResult.Failure(ScorerValues.NoExpected));
        }

        if (!ScorerValues.TryGetNumber(expectedValue, out var expected))
        {
            return ValueTask.FromResult(ScoreResult.Failure($"the expected value {ScorerValues.Shorten(JsJson.Stringify(expectedValue))} is not a number"));
        }

        if (!ScorerValues.TryGetNumber(ScorerValues.Output(input), out var output))
        {
            return ValueTask.FromResult(ScoreResult.Failure($"the output \"{ScorerValues.Shorten(input.Output)}\" is not a number"));
        }

        var score = AutoevalsScores.NumericDiff(output, expected);
        return ValueTask.FromResult(ScoreResult.FromScore(score, _threshold, $"output {JsNumber.ToString(output)} vs expected {JsNumber.ToString(expected)}"));
    }
}
