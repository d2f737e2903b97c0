using System.Globalization;
using System.Text;

namespace EvalLoop.Reporting.Runs;

/// <summary>Text as a report cell keeps it: at most a given length, and valid UTF-16 (a lone surrogate becomes U+FFFD).</summary>
internal static class CellText
{
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text;
        var omitted = 0;
        if (text.Length > max)
        {
            // Never split a surrogate pair.
            var length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            cut = text[..length];
            omitted = text.Length - length;
        }

        cut = ReplaceLoneSurrogates(cut);
        return omitted == 0 ? cut : cut + string.Create(CultureInfo.InvariantCulture, $" … [{omitted:N0} more characters not shown]");
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            if (lone)
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
                builder.Append('\uFFFD');
            }
            else
            {
                builder?.Append(c);
            }
        }

        return builder?.ToString() ?? text;
    }
}
