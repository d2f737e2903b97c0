using System.Text.Json;
using EvalLoop.Core.Caching;
using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// Serves repeated identical calls from an <see cref="IResponseCache"/> without calling the inner client.
/// </summary>
/// <remarks>
/// <para>The key is the SHA-256 of a canonical JSON of the <see cref="ResponseCacheScope"/> (provider, model, endpoint),
/// the messages and the effective parameters (the call's options with the <see cref="ChatOptionsDefaults"/> filled in,
/// so a temperature set in the experiment is part of the key), plus <see cref="CacheFormatVersion"/>.</para>
/// <para>Only successful, text-only responses are stored (text, usage, model id, finish reason). A hit returns a
/// response with <see cref="ChatResponseAnnotations.CacheHit"/> = <c>true</c>. A cache that fails to read or write, or
/// an entry that no longer parses, is logged and treated as a miss: the cache never fails a call. Two identical calls
/// running at the same time may both miss. Streaming calls pass through uncached.</para>
/// </remarks>
public sealed partial class ResponseCachingChatClient : DelegatingChatClient
{
    /// <summary>Bump when the key or value format changes so old entries are no longer read.</summary>
    public const int CacheFormatVersion = 1;

    private readonly IResponseCache _cache;
    private readonly ResponseCacheScope _scope;
    private readonly ChatOptionsDefaults _defaults;
    private readonly ILogger _logger;

    public ResponseCachingChatClient(
        IChatClient innerClient,
        IResponseCache cache,
        ResponseCacheScope scope,
        ChatOptionsDefaults? defaults = null,
        ILogger? logger = null)
        : base(innerClient)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _scope = scope ?? throw new ArgumentNullException(nameof(scope));
        _defaults = defaults ?? new ChatOptionsDefaults(null, null, null);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The cache key this client uses for a call (exposed for diagnostics and tests).</summary>
    public string ComputeKey(IEnumerable<ChatMessage> messages, ChatOptions? options = null) =>
        ResponseCacheKey.Compute(_scope, messages, _defaults.Apply(options), CacheFormatVersion);

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var key = ComputeKey(list, options);

        var cached = await TryReadAsync(key, cancellationToken);
        if (cached is not null)
        {
            LogCacheHit(_logger, _scope.Model, key);
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken);
        if (IsCacheable(response))
        {
            await TryWriteAsync(key, response, cancellationToken);
        }

        return response;
    }

    private async Task<ChatResponse?> TryReadAsync(string key, CancellationToken cancellationToken)
    {
        string? value;
        try
        {
            value = await _cache.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheReadFailed(_logger, ex, key);
            return null;
        }

        if (value is null)
        {
            return null;
        }

        ResponseCacheEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(value, ResponseCacheJsonContext.Default.ResponseCacheEntry);
        }
        catch (JsonException ex)
        {
            LogCacheEntryUnreadable(_logger, ex, key);
            return null;
        }

        if (entry is null || entry.Version != CacheFormatVersion)
        {
            return null;
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, entry.Text))
        {
            ModelId = entry.ModelId,
            ResponseId = entry.ResponseId,
            CreatedAt = entry.CreatedAt,
            FinishReason = entry.FinishReason is null ? null : new ChatFinishReason(entry.FinishReason),
            Usage = entry.InputTokens is null && entry.OutputTokens is null && entry.TotalTokens is null
                ? null
                : new UsageDetails
                {
                    InputTokenCount = entry.InputTokens,
                    OutputTokenCount = entry.OutputTokens,
                    TotalTokenCount = entry.TotalTokens,
                },
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatResponseAnnotations.CacheHit] = true },
        };
    }

    private async Task TryWriteAsync(string key, ChatResponse response, CancellationToken cancellationToken)
    {
        var entry = new ResponseCacheEntry
        {
            Version = CacheFormatVersion,
            Text = response.Text,
            ModelId = response.ModelId,
            ResponseId = response.ResponseId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason?.Value,
            InputTokens = response.Usage?.InputTokenCount,
            OutputTokens = response.Usage?.OutputTokenCount,
            TotalTokens = response.Usage?.TotalTokenCount,
        };

        try
        {
            await _cache.SetAsync(key, JsonSerializer.Serialize(entry, ResponseCacheJsonContext.Default.ResponseCacheEntry), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheWriteFailed(_logger, ex, key);
        }
    }

    /// <summary>Only plain-text answers round-trip through the entry format; tool calls and the like are not stored.</summary>
    private static bool IsCacheable(ChatResponse response)
    {
        if (response.Messages.Count == 0)
        {
            return false;
        }

        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is not TextContent and not UsageContent)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Response cache hit for model {Model} (key {Key}).")]
    private static partial void LogCacheHit(ILogger logger, string model, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the response cache failed (key {Key}); calling the model instead.")]
    private static partial void LogCacheReadFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A response cache entry could not be read (key {Key}); calling the model instead.")]
    private static partial void LogCacheEntryUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the response cache failed (key {Key}); the response is returned uncached.")]
    private static partial void LogCacheWriteFailed(ILogger logger, Exception exception, string key);
}
