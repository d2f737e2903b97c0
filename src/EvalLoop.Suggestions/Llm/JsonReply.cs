using System.Text.Json;

namespace EvalLoop.Suggestions.Llm;

/// <summary>
/// The common first step of reading a model's JSON reply: exactly one JSON object, a Markdown code fence around it
/// tolerated. Anything else is a <see cref="FormatException"/> quoting the start of the reply.
/// </summary>
internal static class JsonReply
{
    public static JsonElement ReadObject(string? reply)
    {
        var text = (reply ?? string.Empty).Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
            var closing = text.LastIndexOf("```", StringComparison.Ordinal);
            text = firstLine >= 0 && closing > firstLine ? text[(firstLine + 1)..closing].Trim() : text;
        }

        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            throw new FormatException($"expected one JSON object, got: {Shorten(text)}");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message}): {Shorten(text)}", ex);
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
