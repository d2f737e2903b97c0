using System.ClientModel;
using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalLoop.Models.Http;

/// <summary>
/// Provider <c>openai</c>: any server that speaks the OpenAI chat completions protocol (OpenAI itself, Ollama, vLLM,
/// llama.cpp, LM Studio), called through the official OpenAI .NET SDK and exposed as an <see cref="IChatClient"/>.
/// </summary>
/// <remarks>
/// <para><see cref="ModelSettings.BaseUrl"/> defaults to <see cref="DefaultBaseUrl"/> and should include the version
/// segment (<c>http://127.0.0.1:11434/v1</c> for Ollama). The key is read from the environment variable named by
/// <see cref="ModelSettings.ApiKeyEnv"/> (default <see cref="DefaultApiKeyEnv"/>) and sent as
/// <c>Authorization: Bearer</c>. A local endpoint (loopback, private network, single-label or <c>.local</c> host) works
/// without a key; any other endpoint without one is a <see cref="ModelConfigurationException"/>.</para>
/// <para>The SDK's own retries are off and its network timeout is infinite: the wrappers own both.</para>
/// </remarks>
public static class OpenAiCompatibleProvider
{
    /// <summary>The OpenAI API, used when no base URL is set.</summary>
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    /// <summary>Environment variable read for the key when <see cref="ModelSettings.ApiKeyEnv"/> is not set.</summary>
    public const string DefaultApiKeyEnv = "OPENAI_API_KEY";

    /// <summary>The endpoint requests go to: the base URL (or the default), without a trailing slash.</summary>
    public static Uri ResolveEndpoint(ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ParseBaseUrl(settings, string.IsNullOrWhiteSpace(settings.BaseUrl) ? DefaultBaseUrl : settings.BaseUrl);
    }

    /// <summary>Creates the chat client. Throws <see cref="ModelConfigurationException"/> for a bad URL or a missing key.</summary>
    /// <param name="settings">The model settings.</param>
    /// <param name="httpClient">The HttpClient the SDK sends through (no timeout of its own).</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static IChatClient CreateChatClient(ModelSettings settings, HttpClient httpClient, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(httpClient);
        var endpoint = ResolveEndpoint(settings);
        var key = ApiKeyResolver.Resolve(settings, DefaultApiKeyEnv, endpoint, allowPlaceholderForLocal: true, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        var client = new OpenAIClient(new ApiKeyCredential(key), OpenAiPipeline.CreateOptions(endpoint, httpClient));
        return client.GetChatClient(settings.Name).AsIChatClient();
    }

    internal static Uri ParseBaseUrl(ModelSettings settings, string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ModelConfigurationException(
                $"Model '{settings.Name}': base_url '{baseUrl}' is not an absolute http(s) URL.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ModelConfigurationException(
                $"Model '{settings.Name}': base_url must not contain a query string or credentials; put the key in the environment variable named by api_key_env.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
