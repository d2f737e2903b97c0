using System.Text;

namespace EvalLoop.Reporting.Charts;

/// <summary>Makes data text fit for a chart label: one line, no control characters, at most a given length.</summary>
internal static class ChartLabel
{
    public static string Clean(string? text, int maxLength = 40)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(empty)";
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? " " : rune.ToString());
        }

        return builder.ToString().Trim();
    }
}
