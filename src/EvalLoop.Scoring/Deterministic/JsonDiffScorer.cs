using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>json-diff</c>: structural similarity of the output and the expected JSON, equal to Braintrust autoevals'
/// <c>JSONDiff</c> (TypeScript, current version) with its default scorers; see <see cref="AutoevalsScores.JsonDiff"/>.
/// The model's output is a string, so it is compared as JSON when it parses to an object or an array (at every level,
/// strings holding JSON objects or arrays are parsed too) and as a string otherwise: the output "42" against the
/// expected number 42 is a string against a number, which autoevals scores as Levenshtein("\"42\"", "42") = 0.5.
/// </summary>
/// <remarks>
/// Semantics in short: objects score the mean over the union of keys (a key missing on one side scores 0), arrays the
/// sum over the common prefix divided by the longer length, strings Levenshtein, numbers NumericDiff, null against
/// null 1 and null against anything else 0, and mixed types Levenshtein of their key-sorted <c>JSON.stringify</c>
/// texts; empty object against empty object and empty array against empty array score 1. Option
/// <c>preserve_strings</c> (default false) turns off parsing of strings. Threshold default 0.5. A case without an
/// <c>expected</c> key is an error on that case.
/// </remarks>
public sealed class JsonDiffScorer : IScorer
{
    public const string TypeName = "json-diff";
    private readonly bool _preserveStrings;
    private readonly double _threshold;

    public JsonDiffScorer(ScorerDefinition definition)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, "preserve_strings");
        _preserveStrings = options.GetBool("preserve_strings", false);
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        if (!ScorerValues.TryGetExpected(input, out var expected))
        {
            return ValueTask.FromResult(ScoreResult.Failure(ScorerValues.NoExpected));
        }

        var output = ScorerValues.Output(input);
        var score = AutoevalsScores.JsonDiff(output, expected, _preserveStrings);
        if (!double.IsFinite(score))
        {
            return ValueTask.FromResult(ScoreResult.Failure("the comparison is undefined for these values (a number beyond the double range)"));
        }

        var parsed = output is string text && !_preserveStrings && JsJson.TryParse(text, out var value) && value is JsObject or List<object?>;
        var kind = output is string && !parsed ? "the output as text" : "the output as JSON";
        return ValueTask.FromResult(ScoreResult.FromScore(score, _threshold, $"{kind} is {ScorerValues.Format(score * 100)}% similar to the expected JSON"));
    }
}
