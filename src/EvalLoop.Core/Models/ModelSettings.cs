namespace EvalLoop.Core.Models;

/// <summary>
/// The model an experiment calls and how to reach it. Secrets are never stored here: <see cref="ApiKeyEnv"/> names the
/// environment variable that holds the key.
/// </summary>
public sealed record ModelSettings
{
    /// <summary><c>offline</c>, <c>openai</c> (any OpenAI-compatible endpoint) or <c>azure-openai</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Model name (for Azure OpenAI, the deployment name).</summary>
    public required string Name { get; init; }

    /// <summary>Endpoint base URL, e.g. <c>http://127.0.0.1:11434/v1</c> for Ollama. Null means the provider's default.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Name of the environment variable holding the API key.</summary>
    public string? ApiKeyEnv { get; init; }

    public double? Temperature { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>Per-attempt timeout of one model call.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries on 429, 5xx and timeouts, with exponential backoff and jitter, honouring Retry-After.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Optional request rate limit (requests per minute).</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Optional token rate limit (prompt + completion tokens per minute, estimated before the call).</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Price per million tokens; null means look it up in the built-in price table.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Azure OpenAI api-version; only used by <c>azure-openai</c>.</summary>
    public string? ApiVersion { get; init; }
}

/// <summary>Prices in currency units (USD by convention) per million tokens.</summary>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion);
