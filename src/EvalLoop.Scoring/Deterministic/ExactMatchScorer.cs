using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>exact-match</c>: 1 when the output equals the expected value (as text: strings as they are, other JSON compact),
/// else 0. Options: <c>trim</c>, <c>case_sensitive</c> (default true), <c>normalize_whitespace</c>,
/// <c>ignore_punctuation</c>, all off by default. A case without an expected value is an error on that case.
/// </summary>
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
        if (input.Case.ExpectedText is not { } expected)
        {
            return ValueTask.FromResult(ScoreResult.Failure("the case has no expected value to compare with"));
        }

        var match = string.Equals(_normalization.Apply(input.Output), _normalization.Apply(expected), StringComparison.Ordinal);
        var rationale = match
            ? $"output equals expected ({_normalization.Describe()})"
            : $"output differs from expected ({_normalization.Describe()} comparison)";
        return ValueTask.FromResult(ScoreResult.FromScore(match ? 1 : 0, _threshold, rationale));
    }
}
