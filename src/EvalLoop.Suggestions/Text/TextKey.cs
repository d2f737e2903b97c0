using System.Text;

namespace EvalLoop.Suggestions.Text;

/// <summary>
/// Comparison keys for texts: what "the same text" means for duplicate detection and for the provenance firewall's
/// leak check (letter case, whitespace and punctuation do not make two customer messages different).
/// </summary>
public static class TextKey
{
    /// <summary>Lower-case letters and digits, single spaces between words; punctuation and symbols dropped.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                space = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsWhiteSpace(c))
            {
                space = true;
            }
            else
            {
                // Punctuation separates words ("card,pin") but never adds a space of its own.
                space |= c is '/' or '-' or '_' or ',' or '.' or ';' or ':';
            }
        }

        return builder.ToString();
    }

    /// <summary>A label for comparison: trimmed, case-insensitive (labels are matched the way scorers usually match them).</summary>
    public static string Label(string? text) => (text ?? string.Empty).Trim().ToLowerInvariant();

    /// <summary>A text on one line (newlines and tabs become spaces), for prompts whose examples are line-based.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
