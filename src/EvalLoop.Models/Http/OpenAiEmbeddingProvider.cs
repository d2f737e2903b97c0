using System.ClientModel;
using EvalLoop.Core.Models;
using EvalLoop.Models.Offline;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalLoop.Models.Http;

/// <summary>
/// Embedding generators for the <c>embedding-similarity</c> scorer: an OpenAI-compatible <c>/embeddings</c> endpoint
/// (OpenAI, Ollama, vLLM, LM Studio) for provider <c>openai</c>, the in-process <see cref="OfflineEmbeddingGenerator"/>
/// for <c>offline</c>. Keys and URLs are resolved exactly as for chat models (<see cref="OpenAiCompatibleProvider"/>).
/// </summary>
/// <remarks>
/// Embedding calls do not go through the chat wrappers (cache, retries, pricing); the SDK's network timeout is the
/// settings' <see cref="ModelSettings.Timeout"/>, and a failed call is an error on that case.
/// </remarks>
public static class OpenAiEmbeddingProvider
{
    private static readonly Lazy<HttpClient> SharedHttpClient = new(OpenAiPipeline.CreateDefaultHttpClient);

    /// <summary>Creates the generator. Throws <see cref="ModelConfigurationException"/> for a bad URL, a missing key or an unsupported provider.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(ModelSettings settings, HttpClient? httpClient = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider == ModelProviders.Offline)
        {
            return new OfflineEmbeddingGenerator();
        }

        if (settings.Provider != ModelProviders.OpenAi)
        {
            throw new ModelConfigurationException($"Embedding model '{settings.Name}': provider '{settings.Provider}' is not supported for embeddings (use openai or offline).");
        }

        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            throw new ModelConfigurationException("Embedding model: name is required.");
        }

        var endpoint = OpenAiCompatibleProvider.ResolveEndpoint(settings);
        var key = ApiKeyResolver.Resolve(settings, OpenAiCompatibleProvider.DefaultApiKeyEnv, endpoint, allowPlaceholderForLocal: true, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        var options = OpenAiPipeline.CreateOptions(endpoint, httpClient ?? SharedHttpClient.Value);
        options.NetworkTimeout = settings.Timeout;
        return new OpenAIClient(new ApiKeyCredential(key), options).GetEmbeddingClient(settings.Name).AsIEmbeddingGenerator();
    }
}
