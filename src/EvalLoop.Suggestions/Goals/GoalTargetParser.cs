using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// Reads a target (a minimum pass rate in 0..1) from a requirement's words. Only a number tied to a lower-bound word
/// or to a pass-rate metric is a target: "&gt;= 0.85", "≥ 0.9", "at least 90%", "accuracy of 90%", "accuracy >= 0.85",
/// "pass rate 0.95", "90% accuracy", "95 percent of answers", "95% of the time". A bare count ("exactly 1 label"), a
/// change ("cut errors by 5%"), a number with a unit ("at least 0.5 seconds") or a whole number without '%' is never a
/// target. A goal's target is a lower bound (the pass rate must reach it); an upper bound ("at most 5%", "&lt;= 0.1",
/// "fewer than 3%") cannot be expressed, so <see cref="HasUpperBound"/> tells the drafter to leave such a requirement
/// uncovered rather than misread it.
/// </summary>
public static partial class GoalTargetParser
{
    /// <summary>The first target the text states, or null when it states none.</summary>
    public static double? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var regex in new[] { ComparatorLed(), MetricLed(), MetricTrailing() })
        {
            foreach (Match match in regex.Matches(text))
            {
                // "at most 5% of answers": the number is an upper bound, whatever follows it.
                if (!UpperBoundBefore().IsMatch(text[..match.Index]) && Value(match) is { } value)
                {
                    return value;
                }
            }
        }

        return null;
    }

    /// <summary>Whether the text bounds a number from above ("at most 5%", "&lt;= 0.1", "no more than 2"), which a target cannot express.</summary>
    public static bool HasUpperBound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UpperBound().IsMatch(text);
    }

    /// <summary>
    /// Whether <paramref name="text"/> states the number <paramref name="target"/> at all (as "0.85", ".85", "85%" or
    /// "85 percent"): a target a model drafted is kept only when the user's words give it, never invented.
    /// </summary>
    public static bool States(string text, double target)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (Match match in StatedNumber().Matches(text))
        {
            if (double.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && Math.Abs((match.Groups["pct"].Success ? value / 100 : value) - target) < 1e-9)
            {
                return true;
            }
        }

        return false;
    }

    private static double? Value(Match match)
    {
        var n = match.Groups["n"].Value;
        if (!double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        if (match.Groups["pct"].Success)
        {
            return value is > 0 and <= 100 ? Math.Round(value / 100, 4) : null;
        }

        // Without '%', only a fraction written as one ("0.85", ".9", "1.0"): a whole number is a count, not a rate.
        return n.Contains('.', StringComparison.Ordinal) && value is > 0 and <= 1 ? value : null;
    }

    // The number: digits (not part of a longer number), then either '%'/"percent", or no unit or count noun after it.
    private const string Number =
        @"(?<![\w.])(?<n>\d{1,3}(?:\.\d+)?|\.\d+)(?!\d)(?!\.\d)(?:\s*(?<pct>%|percent\b)|(?!\s*(?:s|ms|sec|secs|seconds?|minutes?|mins?|hours?|tokens?|words?|characters?|chars?|labels?|intents?|items?|times|x|usd|dollars?|cents?|lines?|sentences?)\b))";

    private const string Metric = @"\b(?:accuracy|pass[\s-]?rate|success[\s-]?rate)";

    // "by at least 5%" is a change, not a level.
    private const string Lower = @"(?<!\bby\s)(?:>=|≥|=>|>|\bat\s+least\b|\bnot?\s+(?:less|fewer)\s+than\b|\bminimum(?:\s+of)?\b|(?<!\bnot?\s)\bmore\s+than\b|\babove\b|\bover\b)";

    private const string Upper = @"(?:<=|≤|=<|<|\bat\s+most\b|\bnot?\s+more\s+than\b|\bmaximum(?:\s+of)?\b|\b(?<!\bnot?\s)(?:less|fewer)\s+than\b|\bbelow\b|\bunder\b|\bup\s+to\b)";

    [GeneratedRegex(Lower + @"\s*(?:an?\s+)?(?:" + Metric + @"\s+(?:of\s+)?)?" + Number, RegexOptions.IgnoreCase)]
    private static partial Regex ComparatorLed();

    [GeneratedRegex(Metric + @"\s*(?:of|:|=|==|is|should\s+be|must\s+be)?\s*(?:" + Lower + @")?\s*" + Number, RegexOptions.IgnoreCase)]
    private static partial Regex MetricLed();

    [GeneratedRegex(Number + @"\s+(?:accuracy|accurate|pass[\s-]?rate|success[\s-]?rate|correct|of\s+the\s+time|of\s+(?:all\s+)?(?:the\s+)?(?:answers|cases|responses|outputs|replies|predictions))\b", RegexOptions.IgnoreCase)]
    private static partial Regex MetricTrailing();

    [GeneratedRegex(Upper + @"\s*(?:an?\s+)?(?:\w+\s+(?:rate\s+)?(?:of\s+)?)?(?<![\w.])\d", RegexOptions.IgnoreCase)]
    private static partial Regex UpperBound();

    [GeneratedRegex(Upper + @"\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UpperBoundBefore();

    [GeneratedRegex(@"(?<![\w.])(?<n>\d{1,3}(?:\.\d+)?|\.\d+)(?!\d)(?!\.\d)(?:\s*(?<pct>%|percent\b))?", RegexOptions.IgnoreCase)]
    private static partial Regex StatedNumber();
}
