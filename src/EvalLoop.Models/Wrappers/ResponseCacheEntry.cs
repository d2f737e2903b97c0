namespace EvalLoop.Models.Wrappers;

/// <summary>The serialized form of a cached response: text, usage, model id and finish reason.</summary>
internal sealed record ResponseCacheEntry
{
    public required int Version { get; init; }

    public required string Text { get; init; }

    public string? ModelId { get; init; }

    public string? FinishReason { get; init; }

    public string? ResponseId { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public long? TotalTokens { get; init; }
}
