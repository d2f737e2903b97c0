namespace EvalLoop.TestUtilities;

/// <summary>
/// One scripted misbehaviour of <see cref="LoopbackOpenAiServer"/>. Faults are queued with
/// <see cref="LoopbackOpenAiServer.EnqueueFault"/> and each one is consumed by the next request, in order.
/// </summary>
public sealed record LoopbackFault
{
    private LoopbackFault(LoopbackFaultKind kind) => Kind = kind;

    public LoopbackFaultKind Kind { get; }

    /// <summary>The HTTP status code sent (200 for <see cref="LoopbackFaultKind.MalformedBody"/> and <see cref="LoopbackFaultKind.Slow"/>).</summary>
    public int StatusCode { get; private init; } = 200;

    /// <summary>The raw <c>Retry-After</c> header value, if any (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; private init; }

    /// <summary>How long a <see cref="LoopbackFaultKind.Slow"/> response waits before answering.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>429 Too Many Requests with <c>Retry-After: {seconds}</c>.</summary>
    public static LoopbackFault TooManyRequests(int retryAfterSeconds = 1) =>
        new(LoopbackFaultKind.TooManyRequests)
        {
            StatusCode = 429,
            RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>429 Too Many Requests with <c>Retry-After</c> as an HTTP date.</summary>
    public static LoopbackFault TooManyRequestsUntil(DateTimeOffset retryAt) =>
        new(LoopbackFaultKind.TooManyRequests) { StatusCode = 429, RetryAfter = retryAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>500 Internal Server Error.</summary>
    public static LoopbackFault ServerError() => new(LoopbackFaultKind.ServerError) { StatusCode = 500 };

    /// <summary>503 Service Unavailable, with <c>Retry-After: {seconds}</c> when given.</summary>
    public static LoopbackFault ServiceUnavailable(int? retryAfterSeconds = null) =>
        new(LoopbackFaultKind.ServiceUnavailable)
        {
            StatusCode = 503,
            RetryAfter = retryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>200 OK with a body that is not JSON.</summary>
    public static LoopbackFault MalformedBody() => new(LoopbackFaultKind.MalformedBody);

    /// <summary>Answers normally, but only after <paramref name="delay"/> (use it to exceed the client's timeout).</summary>
    public static LoopbackFault Slow(TimeSpan delay) => new(LoopbackFaultKind.Slow) { Delay = delay };

    /// <summary>401 Unauthorized, as a provider answers a wrong API key.</summary>
    public static LoopbackFault Unauthorized() => new(LoopbackFaultKind.Unauthorized) { StatusCode = 401 };

    /// <summary>Any status code with an OpenAI-style error body.</summary>
    public static LoopbackFault Status(int statusCode) => new(LoopbackFaultKind.Status) { StatusCode = statusCode };
}
