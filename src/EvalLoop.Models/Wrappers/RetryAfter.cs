using System.ClientModel.Primitives;
using System.Globalization;

namespace EvalLoop.Models.Wrappers;

/// <summary>Reads how long a server asked us to wait from <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or HTTP date).</summary>
internal static class RetryAfter
{
    public static TimeSpan? FromResponse(PipelineResponse? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }

        // OpenAI and Azure also send the more precise retry-after-ms; prefer it when present.
        if (response.Headers.TryGetValue("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && ms >= 0
            && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return response.Headers.TryGetValue("Retry-After", out var value) ? Parse(value, now) : null;
    }

    /// <summary>Parses a <c>Retry-After</c> value: delta-seconds or an HTTP date (a date in the past means "now").</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 && double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }

        if (DateTimeOffset.TryParseExact(value, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
