using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalLoop.Suggestions.Goals;

/// <summary>Reads a target (a pass rate in 0..1) from a requirement's words: "&gt;= 0.85", "at least 0.9", "90%", "95 percent".</summary>
public static partial class GoalTargetParser
{
    public static double? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var percent = Percent().Match(text);
        if (percent.Success && double.TryParse(percent.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 100)
        {
            return Math.Round(p / 100, 4);
        }

        var fraction = Fraction().Match(text);
        return fraction.Success && double.TryParse(fraction.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 1
            ? f
            : null;
    }

    [GeneratedRegex(@"(?<n>\d{1,3}(\.\d+)?)\s*(%|percent\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"(?<![\w.])(?<n>(0?\.\d+|1(\.0+)?))(?![\w.])")]
    private static partial Regex Fraction();
}
