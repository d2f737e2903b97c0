using System.Text.Json.Serialization;

namespace EvalLoop.Models.Wrappers;

/// <summary>Source-generated JSON metadata for <see cref="ResponseCacheEntry"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResponseCacheEntry))]
internal sealed partial class ResponseCacheJsonContext : JsonSerializerContext;
