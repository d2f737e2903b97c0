using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// Computes response cache keys: the lowercase hex SHA-256 of a canonical JSON document (fixed property order, no
/// whitespace) holding the cache-format version, the <see cref="ResponseCacheScope"/>, the messages (role, author, text
/// and any non-text content) and every parameter that can change the answer.
/// </summary>
internal static class ResponseCacheKey
{
    public static string Compute(ResponseCacheScope scope, IEnumerable<ChatMessage> messages, ChatOptions options, int formatVersion)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, scope, messages, options, formatVersion);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    internal static void WriteCanonical(Utf8JsonWriter writer, ResponseCacheScope scope, IEnumerable<ChatMessage> messages, ChatOptions options, int formatVersion)
    {
        writer.WriteStartObject();
        writer.WriteNumber("v", formatVersion);
        writer.WriteString("provider", scope.Provider);
        writer.WriteString("model", scope.Model);
        writer.WriteString("endpoint", scope.Endpoint);

        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            if (message.AuthorName is not null)
            {
                writer.WriteString("name", message.AuthorName);
            }

            writer.WriteString("text", message.Text);
            var wroteParts = false;
            foreach (var content in message.Contents)
            {
                if (content is TextContent)
                {
                    continue;
                }

                if (!wroteParts)
                {
                    writer.WriteStartArray("parts");
                    wroteParts = true;
                }

                Serialize(writer, content);
            }

            if (wroteParts)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartObject("parameters");
        WriteString(writer, "model_id", options.ModelId);
        WriteString(writer, "instructions", options.Instructions);
        WriteNumber(writer, "temperature", options.Temperature);
        WriteNumber(writer, "max_output_tokens", options.MaxOutputTokens);
        WriteNumber(writer, "top_p", options.TopP);
        WriteNumber(writer, "top_k", options.TopK);
        WriteNumber(writer, "frequency_penalty", options.FrequencyPenalty);
        WriteNumber(writer, "presence_penalty", options.PresencePenalty);
        if (options.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (options.ResponseFormat is { } format)
        {
            writer.WritePropertyName("response_format");
            Serialize(writer, format);
        }

        if (options.Reasoning is { } reasoning)
        {
            writer.WritePropertyName("reasoning");
            Serialize(writer, reasoning);
        }

        if (options.ToolMode is { } toolMode)
        {
            writer.WritePropertyName("tool_mode");
            Serialize(writer, toolMode);
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tool.Name);
                writer.WriteString("description", tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    writer.WritePropertyName("schema");
                    function.JsonSchema.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            writer.WriteStartObject("additional");
            foreach (var (key, value) in additional.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                Serialize(writer, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Serialize<T>(Utf8JsonWriter writer, T value) =>
        JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T)));

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
