namespace EvalLoop.Core.Caching;

/// <summary>
/// A persistent key/value cache of model responses. Keys are content hashes computed by the caller (provider, model,
/// endpoint, messages and parameters); values are the serialized response.
/// </summary>
public interface IResponseCache
{
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    ValueTask SetAsync(string key, string value, CancellationToken cancellationToken = default);
}
