namespace EvalLoop.TestUtilities;

/// <summary>What a scripted <see cref="LoopbackFault"/> makes the loopback server do instead of (or before) answering.</summary>
public enum LoopbackFaultKind
{
    /// <summary>429 with a <c>Retry-After</c> header.</summary>
    TooManyRequests,

    /// <summary>500 Internal Server Error.</summary>
    ServerError,

    /// <summary>503 Service Unavailable, optionally with <c>Retry-After</c>.</summary>
    ServiceUnavailable,

    /// <summary>200 OK whose body is not valid JSON.</summary>
    MalformedBody,

    /// <summary>Waits for the given delay, then answers normally.</summary>
    Slow,

    /// <summary>401 Unauthorized (invalid API key).</summary>
    Unauthorized,

    /// <summary>Any status code with an OpenAI-style error body.</summary>
    Status,
}
