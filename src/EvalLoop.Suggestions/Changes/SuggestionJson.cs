using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalLoop.Suggestions.Changes;

/// <summary>
/// How a suggestion's <c>ChangeJson</c> and <c>EvidenceJson</c> are written: snake_case keys, readable non-ASCII (the
/// text is stored and printed, never embedded in HTML unescaped), nulls omitted.
/// </summary>
public static class SuggestionJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");

    /// <summary>
    /// The value, or null when <paramref name="json"/> is null or not of that shape (a suggestion written by another
    /// version or another tool): lists and selections skip what they cannot read instead of failing.
    /// </summary>
    public static T? TryDeserialize<T>(string? json)
        where T : class
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
