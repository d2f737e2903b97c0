using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>contains</c>: 1 when the output contains <c>options.value</c> (or, without it, the case's expected value as
/// text), else 0. Takes the same normalisation options as <c>exact-match</c>.
/// </summary>
public sealed class ContainsScorer : IScorer
{
    public const string TypeName = "contains";
    private readonly TextNormalization _normalization;
    private readonly string? _value;
    private readonly double _threshold;

    public ContainsScorer(ScorerDefinition definition)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, [.. TextNormalization.OptionNames, "value"]);
        _normalization = TextNormalization.From(options);
        _value = options.GetString("value");
        if (_value is { Length: 0 })
        {
            throw options.Error("value", "must not be empty");
        }

        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        var needle = _value ?? input.Case.ExpectedText;
        if (string.IsNullOrEmpty(needle))
        {
            return ValueTask.FromResult(ScoreResult.Failure("nothing to look for: no options.value and the case has no expected value"));
        }

        var found = _normalization.Apply(input.Output).Contains(_normalization.Apply(needle), StringComparison.Ordinal);
        var rationale = found ? $"output contains \"{Shorten(needle)}\"" : $"output does not contain \"{Shorten(needle)}\"";
        return ValueTask.FromResult(ScoreResult.FromScore(found ? 1 : 0, _threshold, rationale));
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
