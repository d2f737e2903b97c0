using System.ClientModel.Primitives;
using OpenAI;

namespace EvalLoop.Models.Http;

/// <summary>
/// The OpenAI SDK client options every HTTP provider uses. The SDK's own retry policy is replaced by one with zero
/// retries and its network timeout is made infinite, because <see cref="Wrappers.ResilientChatClient"/> is the one
/// layer that owns retries, backoff, Retry-After and per-attempt timeouts: two retry layers would multiply attempts
/// and hide the 429s and Retry-After values that layer needs to see.
/// </summary>
internal static class OpenAiPipeline
{
    public static OpenAIClientOptions CreateOptions(Uri endpoint, HttpClient httpClient)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            Transport = new HttpClientPipelineTransport(httpClient),
            UserAgentApplicationId = "evalloop",
        };
        return options;
    }

    /// <summary>
    /// An HttpClient for model calls: no client-side timeout (the resilience layer times attempts), pooled connections
    /// recycled every few minutes so DNS changes are seen, and no per-server connection cap below the run's concurrency.
    /// </summary>
    public static HttpClient CreateDefaultHttpClient() =>
        new(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
