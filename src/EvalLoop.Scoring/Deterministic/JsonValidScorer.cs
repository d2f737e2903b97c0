using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>json-valid</c>: 1 when the output is JSON, else 0. As in Braintrust autoevals' <c>ValidJSON</c> without a schema,
/// only an object or an array counts (the output <c>42</c> or <c>"text"</c> scores 0), unless <c>allow_scalars</c> is
/// true. Parsing is <c>JSON.parse</c>'s: whitespace around the value is fine, comments, trailing commas and a code
/// fence are not. Threshold default 1. To check the shape as well, use <c>json-schema</c>.
/// </summary>
public sealed class JsonValidScorer : IScorer
{
    public const string TypeName = "json-valid";
    private readonly bool _allowScalars;
    private readonly double _threshold;

    public JsonValidScorer(ScorerDefinition definition)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, "allow_scalars");
        _allowScalars = options.GetBool("allow_scalars", false);
        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        var value = ScorerValues.Output(input);
        var parsed = value is not string text ? true : JsJson.TryParse(text, out value);
        var (score, rationale) = !parsed ? (0, "output is not valid JSON")
            : value is JsObject ? (1, "output is a JSON object")
            : value is List<object?> ? (1, "output is a JSON array")
            : _allowScalars ? (1, "output is a JSON value")
            : (0, "output is JSON but neither an object nor an array (set allow_scalars to accept it)");
        return ValueTask.FromResult(ScoreResult.FromScore(score, _threshold, rationale));
    }
}
