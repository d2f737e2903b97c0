namespace EvalLoop.Reporting.Html;

/// <summary>
/// Escapes text for HTML element content and double- or single-quoted attribute values. The report is UTF-8, so only
/// the five characters that can change the meaning of markup are replaced; everything else is kept as written.
/// </summary>
internal static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(writer, text);
        return writer.ToString();
    }

    public static void Write(TextWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var span = text.AsSpan();
        var start = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var replacement = span[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (replacement is null)
            {
                continue;
            }

            writer.Write(span[start..i]);
            writer.Write(replacement);
            start = i + 1;
        }

        writer.Write(span[start..]);
    }
}
