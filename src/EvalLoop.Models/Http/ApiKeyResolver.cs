using EvalLoop.Core.Models;

namespace EvalLoop.Models.Http;

/// <summary>
/// Reads a provider's API key from the environment variable named by <see cref="ModelSettings.ApiKeyEnv"/>. The key is
/// handed straight to the SDK credential; it is never logged, stored in settings or put into a message.
/// </summary>
internal static class ApiKeyResolver
{
    /// <summary>Sent to local servers that need no key (the SDK insists on a non-empty one).</summary>
    public const string PlaceholderKey = "no-key-required";

    /// <summary>
    /// The key from the environment; when it is missing, <see cref="PlaceholderKey"/> if <paramref name="endpoint"/> is a
    /// local server, else a <see cref="ModelConfigurationException"/> naming the variable.
    /// </summary>
    public static string Resolve(ModelSettings settings, string defaultVariable, Uri endpoint, bool allowPlaceholderForLocal, Func<string, string?> getEnvironmentVariable)
    {
        var variable = string.IsNullOrWhiteSpace(settings.ApiKeyEnv) ? defaultVariable : settings.ApiKeyEnv.Trim();
        var key = getEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(key))
        {
            return key.Trim();
        }

        if (allowPlaceholderForLocal && LocalEndpoint.IsLocal(endpoint))
        {
            return PlaceholderKey;
        }

        throw new ModelConfigurationException(
            $"Model '{settings.Name}' (provider '{settings.Provider}', endpoint {endpoint.GetLeftPart(UriPartial.Authority)}) needs an API key: " +
            $"set the environment variable {variable}, or name another variable with api_key_env.");
    }
}
