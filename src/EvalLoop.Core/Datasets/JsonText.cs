using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EvalLoop.Core.Datasets;

/// <summary>How JSON values become text in prompts and scorers: strings are unquoted, everything else is compact JSON.</summary>
public static class JsonText
{
    // Relaxed escaping keeps accents, quotes and '<' readable in prompts and files; these strings never go into HTML.
    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => ToCompactJson(value),
    };

    /// <summary>The value as compact JSON (no whitespace between tokens), whatever its formatting in the source.</summary>
    public static string ToCompactJson(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactOptions))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses <paramref name="json"/> into a detached element (safe to keep after the document is gone).</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement? ParseOrNull(string? json) => json is null ? null : Parse(json);
}
