namespace EvalLoop.Models.Wrappers;

/// <summary>
/// What, besides the messages and parameters, makes two calls interchangeable for the response cache: the provider,
/// the model (deployment) name and the endpoint. Two experiments pointing the same model name at different servers
/// never share cache entries.
/// </summary>
/// <param name="Provider">Provider name, e.g. <c>openai</c>.</param>
/// <param name="Model">Model or deployment name.</param>
/// <param name="Endpoint">Normalised endpoint URL, or null for in-process providers.</param>
public sealed record ResponseCacheScope(string Provider, string Model, string? Endpoint);
