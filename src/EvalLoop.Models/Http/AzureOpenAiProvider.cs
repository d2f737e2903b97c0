using System.ClientModel;
using System.ClientModel.Primitives;
using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalLoop.Models.Http;

/// <summary>
/// Provider <c>azure-openai</c>: an Azure OpenAI (or Azure AI Foundry) resource through its v1 API, which is
/// OpenAI-compatible, so the same OpenAI .NET SDK is used and no Azure.AI.OpenAI package is needed.
/// </summary>
/// <remarks>
/// <para><see cref="ModelSettings.BaseUrl"/> is required: the resource URL, e.g. <c>https://my-resource.openai.azure.com</c>.
/// Requests go to <c>{base_url}/openai/v1/chat/completions</c> (a base URL that already ends in <c>/openai/v1</c> is used
/// as is). <see cref="ModelSettings.Name"/> is the <em>deployment</em> name, sent as the <c>model</c> field.</para>
/// <para>The key is read from the environment variable named by <see cref="ModelSettings.ApiKeyEnv"/> (default
/// <see cref="DefaultApiKeyEnv"/>) and sent only in the <c>api-key</c> header by an SDK authentication policy (no
/// <c>Authorization</c> header). A missing key is a <see cref="ModelConfigurationException"/>.</para>
/// <para><see cref="ModelSettings.ApiVersion"/> is optional with the v1 API; when set (e.g. <c>preview</c>) it is added as
/// the <c>api-version</c> query parameter. As for <c>openai</c>, the SDK's retries are off and its network timeout is
/// infinite: the wrappers own both.</para>
/// </remarks>
public static class AzureOpenAiProvider
{
    /// <summary>Environment variable read for the key when <see cref="ModelSettings.ApiKeyEnv"/> is not set.</summary>
    public const string DefaultApiKeyEnv = "AZURE_OPENAI_API_KEY";

    /// <summary>The header carrying the key.</summary>
    public const string ApiKeyHeader = "api-key";

    private const string V1Path = "/openai/v1";

    /// <summary>The v1 endpoint: <c>{base_url}/openai/v1</c>. Throws <see cref="ModelConfigurationException"/> without a base URL.</summary>
    public static Uri ResolveEndpoint(ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.BaseUrl))
        {
            throw new ModelConfigurationException(
                $"Model '{settings.Name}' (provider 'azure-openai') needs base_url: the resource URL, e.g. https://my-resource.openai.azure.com.");
        }

        var baseUri = OpenAiCompatibleProvider.ParseBaseUrl(settings, settings.BaseUrl);
        var text = baseUri.ToString().TrimEnd('/');
        return text.EndsWith(V1Path, StringComparison.OrdinalIgnoreCase) ? new Uri(text) : new Uri(text + V1Path);
    }

    /// <summary>Creates the chat client. Throws <see cref="ModelConfigurationException"/> for a missing base URL or key.</summary>
    /// <param name="settings">The model settings (name = deployment).</param>
    /// <param name="httpClient">The HttpClient the SDK sends through (no timeout of its own).</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static IChatClient CreateChatClient(ModelSettings settings, HttpClient httpClient, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(httpClient);
        var endpoint = ResolveEndpoint(settings);

        // Azure always wants a key here (keyless Entra ID auth is not supported by this provider).
        var key = ApiKeyResolver.Resolve(settings, DefaultApiKeyEnv, endpoint, allowPlaceholderForLocal: false, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        var options = OpenAiPipeline.CreateOptions(endpoint, httpClient);
        if (!string.IsNullOrWhiteSpace(settings.ApiVersion))
        {
            options.AddPolicy(new QueryParameterPolicy("api-version", settings.ApiVersion.Trim()), PipelinePosition.PerCall);
        }

        var authentication = ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(key), ApiKeyHeader);

        // OPENAI001: the AuthenticationPolicy constructor is marked for evaluation; it is the SDK's way to send the key in
        // a header other than Authorization, and the OpenAI package version is pinned centrally.
#pragma warning disable OPENAI001
        var client = new OpenAIClient(authentication, options);
#pragma warning restore OPENAI001
        return client.GetChatClient(settings.Name).AsIChatClient();
    }
}
