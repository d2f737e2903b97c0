using System.Collections.Concurrent;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// The system clock, unchanged, that also records the due time of every timer created on it (delays, timeouts), so a
/// test can assert how long the code under test asked to wait instead of timing it with a stopwatch: real timers may
/// fire a tick early or late on a loaded machine.
/// </summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>Due times of the timers created so far, in creation order (infinite ones left out).</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow();

    public override long GetTimestamp() => System.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _dueTimes.Enqueue(dueTime);
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}
