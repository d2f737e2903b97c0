using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// Holds calls back so a run stays under a provider's requests-per-minute and tokens-per-minute limits. Calls wait in
/// a queue (oldest first) until permits are free; they never fail because of the limit, and a cancelled caller leaves
/// the queue with <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Requests are spaced evenly (a bucket of one replenishment step, at least 100 ms). Tokens are estimated before the
/// call as message text length / 4 plus the call's max output tokens (or <see cref="FallbackOutputTokens"/>) and may
/// burst up to a minute's worth; an estimate above the per-minute limit is clamped to it. Both limits use
/// <see cref="System.Threading.RateLimiting"/> token buckets replenished on the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed partial class RateLimitingChatClient : DelegatingChatClient
{
    /// <summary>Completion tokens assumed for the estimate when neither the call nor the settings set max tokens.</summary>
    public const int FallbackOutputTokens = 256;

    private readonly TimeProviderTokenBucket? _requests;
    private readonly TimeProviderTokenBucket? _tokens;
    private readonly int _defaultMaxOutputTokens;
    private readonly ILogger _logger;

    public RateLimitingChatClient(IChatClient innerClient, RateLimitingChatClientOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequestsPerMinute is { } rpm)
        {
            _requests = TimeProviderTokenBucket.PerMinute(rpm, smooth: true, options.TimeProvider);
        }

        if (options.TokensPerMinute is { } tpm)
        {
            _tokens = TimeProviderTokenBucket.PerMinute(tpm, smooth: false, options.TimeProvider);
        }

        _defaultMaxOutputTokens = options.DefaultMaxOutputTokens ?? FallbackOutputTokens;
        _logger = logger ?? NullLogger.Instance;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        using var requestLease = await AcquireAsync(_requests, 1, "requests", cancellationToken);
        using var tokenLease = await AcquireAsync(_tokens, _tokens is null ? 0 : EstimateTokens(list, options?.MaxOutputTokens ?? _defaultMaxOutputTokens), "tokens", cancellationToken);
        return await base.GetResponseAsync(list, options, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        using var requestLease = await AcquireAsync(_requests, 1, "requests", cancellationToken);
        using var tokenLease = await AcquireAsync(_tokens, _tokens is null ? 0 : EstimateTokens(list, options?.MaxOutputTokens ?? _defaultMaxOutputTokens), "tokens", cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>Prompt tokens estimated as characters / 4 (rounded up), plus the completion budget.</summary>
    internal static int EstimateTokens(IEnumerable<ChatMessage> messages, int maxOutputTokens)
    {
        long characters = 0;
        foreach (var message in messages)
        {
            characters += message.Text.Length;
        }

        return (int)Math.Min(int.MaxValue, ((characters + 3) / 4) + Math.Max(0, maxOutputTokens));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _requests?.Dispose();
            _tokens?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<RateLimitLease?> AcquireAsync(TimeProviderTokenBucket? bucket, int permits, string limit, CancellationToken cancellationToken)
    {
        if (bucket is null || permits <= 0)
        {
            return null;
        }

        var lease = bucket.TryAcquire(permits);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        LogWaiting(_logger, limit, permits);
        lease = await bucket.AcquireAsync(permits, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException($"The {limit} rate limiter refused {permits} permit(s) although it queues without limit.");
        }

        return lease;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for the {Limit} per-minute limit ({Permits} permits).")]
    private static partial void LogWaiting(ILogger logger, string limit, int permits);
}
