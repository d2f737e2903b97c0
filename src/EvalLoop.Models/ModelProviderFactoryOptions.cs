namespace EvalLoop.Models;

/// <summary>
/// Process-wide knobs of <see cref="ModelProviderFactory"/> that do not belong in an experiment file: transport,
/// environment access and retry pacing. The defaults suit real providers; tests shorten the delays.
/// </summary>
public sealed record ModelProviderFactoryOptions
{
    /// <summary>
    /// The HttpClient the HTTP providers send through; null uses a shared client with no client-side timeout. A supplied
    /// client should have <see cref="HttpClient.Timeout"/> = <see cref="Timeout.InfiniteTimeSpan"/>, since attempts are
    /// timed by the resilience layer. The factory does not dispose it.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Reads an environment variable (API keys). Defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Median delay before the first retry; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential backoff.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest server-requested <c>Retry-After</c> that is honoured as is; longer ones are shortened to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);
}
