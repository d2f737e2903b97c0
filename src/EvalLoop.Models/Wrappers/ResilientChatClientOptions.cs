using EvalLoop.Core.Models;

namespace EvalLoop.Models.Wrappers;

/// <summary>How <see cref="ResilientChatClient"/> retries and times out one model call.</summary>
public sealed record ResilientChatClientOptions
{
    /// <summary>Model name used in messages and logs.</summary>
    public string ModelName { get; init; } = "model";

    /// <summary>Retries after the first attempt (0 = a single attempt). See <see cref="ModelSettings.MaxRetries"/>.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Timeout of each attempt; <see cref="Timeout.InfiniteTimeSpan"/> for none. At least 10 ms.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential backoff (not of a server's <c>Retry-After</c>).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest <c>Retry-After</c> honoured; a longer one is shortened to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock for delays and timeouts (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
