using System.Text.RegularExpressions;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>regex</c>: 1 when <c>options.pattern</c> (.NET syntax) matches somewhere in the output (anchor it with ^ and $
/// for a full match), else 0. <c>options.ignore_case</c> (default false). Matching has a 1 s timeout per output, so a
/// pathological pattern is an error on that case, not a hung run.
/// </summary>
public sealed class RegexScorer : IScorer
{
    public const string TypeName = "regex";
    private readonly Regex _regex;
    private readonly double _threshold;

    public RegexScorer(ScorerDefinition definition)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, "pattern", "ignore_case");
        var pattern = options.GetString("pattern") ?? throw options.Error("pattern", "required: the regular expression the output must match");
        try
        {
            _regex = new Regex(
                pattern,
                RegexOptions.CultureInvariant | (options.GetBool("ignore_case", false) ? RegexOptions.IgnoreCase : RegexOptions.None),
                TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw options.Error("pattern", $"not a valid regular expression: {ex.Message}");
        }

        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        try
        {
            var match = _regex.IsMatch(input.Output);
            return ValueTask.FromResult(ScoreResult.FromScore(
                match ? 1 : 0, _threshold, match ? $"output matches /{_regex}/" : $"output does not match /{_regex}/"));
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(ScoreResult.Failure($"pattern /{_regex}/ timed out on this output"));
        }
    }
}
