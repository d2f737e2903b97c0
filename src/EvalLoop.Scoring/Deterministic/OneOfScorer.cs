using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>one-of</c>: 1 when the output equals one of the allowed values, else 0. The allowed values are
/// <c>options.values</c> (a list of strings), or, without it, the case's expected value: a list (each element as text)
/// or a single value. Takes the normalisation options of <c>exact-match</c> (<c>trim</c>, <c>case_sensitive</c>,
/// <c>normalize_whitespace</c>, <c>ignore_punctuation</c>), applied to the output and to every allowed value. Threshold
/// default 1. A case with neither is an error on that case.
/// </summary>
public sealed class OneOfScorer : IScorer
{
    public const string TypeName = "one-of";
    private readonly TextNormalization _normalization;
    private readonly string[]? _values;
    private readonly double _threshold;

    public OneOfScorer(ScorerDefinition definition)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, [.. TextNormalization.OptionNames, "values"]);
        _normalization = TextNormalization.From(options);
        _values = options.GetStringList("values");
        if (_values is { Length: 0 })
        {
            throw options.Error("values", "must list at least one allowed value");
        }

        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        var allowed = _values ?? FromExpected(input.Case.Expected);
        if (allowed is not { Length: > 0 })
        {
            return ValueTask.FromResult(ScoreResult.Failure("no allowed values: no options.values and the case has no expected value (a list or a value)"));
        }

        var output = _normalization.Apply(input.Output);
        var hit = allowed.FirstOrDefault(v => string.Equals(_normalization.Apply(v), output, StringComparison.Ordinal));
        var rationale = hit is not null
            ? $"output is \"{ScorerValues.Shorten(hit)}\", one of the {allowed.Length} allowed values ({_normalization.Describe()})"
            : $"output is none of the {allowed.Length} allowed values ({string.Join(", ", allowed.Take(5).Select(v => ScorerValues.Shorten(v, 30)))}{(allowed.Length > 5 ? ", ..." : string.Empty)})";
        return ValueTask.FromResult(ScoreResult.FromScore(hit is not null ? 1 : 0, _threshold, rationale));
    }

    private static string[]? FromExpected(JsonElement? expected) => expected switch
    {
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select(JsonText.ToText).ToArray(),
        { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value => [JsonText.ToText(value)],
        _ => null,
    };
}
