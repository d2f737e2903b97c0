using EvalLoop.Core.Models;

namespace EvalLoop.Models.Wrappers;

/// <summary>Limits applied by <see cref="RateLimitingChatClient"/>; a null limit is not enforced.</summary>
public sealed record RateLimitingChatClientOptions
{
    /// <summary>Requests per minute, spaced evenly. See <see cref="ModelSettings.RequestsPerMinute"/>.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Estimated prompt + completion tokens per minute. See <see cref="ModelSettings.TokensPerMinute"/>.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Completion tokens to assume when a call sets no max tokens; null uses <see cref="RateLimitingChatClient.FallbackOutputTokens"/>.</summary>
    public int? DefaultMaxOutputTokens { get; init; }

    /// <summary>Clock that replenishes the buckets (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
