using System.Threading.RateLimiting;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// A <see cref="TokenBucketRateLimiter"/> replenished by a <see cref="TimeProvider"/> timer instead of its own, so tests
/// can drive it with a fake clock. Requests that cannot be served queue (oldest first) rather than fail.
/// </summary>
internal sealed class TimeProviderTokenBucket : IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ITimer _timer;

    private TimeProviderTokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan period, TimeProvider timeProvider)
    {
        TokenLimit = tokenLimit;
        Period = period;
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokenLimit,
            TokensPerPeriod = tokensPerPeriod,
            // The limiter itself skips a manual TryReplenish that comes sooner than ReplenishmentPeriod after the last
            // one, measured on the real Stopwatch. Our TimeProvider timer decides when a period has passed, so the
            // limiter's own check is reduced to a single tick; otherwise a fake clock could never refill the bucket.
            ReplenishmentPeriod = TimeSpan.FromTicks(1),
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _timer = timeProvider.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), _limiter, period, period);
    }

    /// <summary>Most permits the bucket holds; a larger request is clamped to it so it waits instead of failing.</summary>
    public int TokenLimit { get; }

    /// <summary>Time between replenishments.</summary>
    public TimeSpan Period { get; }

    /// <summary>
    /// A bucket refilled at <paramref name="perMinute"/> permits per minute in steps of at least 100 ms. A smooth bucket
    /// holds one step's worth (requests are spaced evenly); otherwise it holds a full minute's worth (bursts allowed).
    /// </summary>
    public static TimeProviderTokenBucket PerMinute(int perMinute, bool smooth, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        ArgumentNullException.ThrowIfNull(timeProvider);

        // Whole permits per step, with the step no shorter than 100 ms and the rate exact.
        var tokensPerPeriod = (int)Math.Ceiling(perMinute / 600.0);
        var period = TimeSpan.FromTicks(TimeSpan.TicksPerMinute * tokensPerPeriod / perMinute);
        return new TimeProviderTokenBucket(smooth ? tokensPerPeriod : perMinute, tokensPerPeriod, period, timeProvider);
    }

    /// <summary>Takes a permit now if one is free and nobody is queued.</summary>
    public RateLimitLease TryAcquire(int permits) => _limiter.AttemptAcquire(Math.Min(permits, TokenLimit));

    /// <summary>Waits for <paramref name="permits"/> permits (clamped to <see cref="TokenLimit"/>).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(int permits, CancellationToken cancellationToken = default) =>
        _limiter.AcquireAsync(Math.Min(permits, TokenLimit), cancellationToken);

    public void Dispose()
    {
        _timer.Dispose();
        _limiter.Dispose();
    }
}
