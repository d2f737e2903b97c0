using System.ClientModel;
using System.Globalization;
using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// The one layer that owns retries and timeouts of model calls (the OpenAI SDK's own retries are switched off).
/// </summary>
/// <remarks>
/// <para>A Polly.Core pipeline: retry (exponential backoff with jitter, up to <see cref="ResilientChatClientOptions.MaxRetries"/>
/// retries) around a per-attempt timeout. Retried: HTTP 408, 429 and 5xx (<see cref="ClientResultException.Status"/>),
/// responses that never arrived (status 0, <see cref="HttpRequestException"/>, <see cref="IOException"/>) and attempt
/// timeouts. Not retried: other 4xx (400, 401, 404...), bodies that do not parse, anything else.</para>
/// <para>When a retried response carries <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or HTTP date), that wait is
/// used instead of the backoff (capped at <see cref="ResilientChatClientOptions.MaxRetryAfter"/>).</para>
/// <para>Cancelling the caller's token stops at once with <see cref="OperationCanceledException"/>. When attempts time
/// out and retries are exhausted, a <see cref="TimeoutException"/> (inner: Polly's <see cref="TimeoutRejectedException"/>)
/// is thrown. Other final errors propagate unchanged, with the attempt count in
/// <c>Exception.Data[<see cref="ChatResponseAnnotations.Attempts"/>]</c>. A successful response carries
/// <see cref="ChatResponseAnnotations.Attempts"/> in its additional properties. Streaming calls pass through without
/// retries.</para>
/// </remarks>
public sealed partial class ResilientChatClient : DelegatingChatClient
{
    private readonly ResilientChatClientOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public ResilientChatClient(IChatClient innerClient, ResilientChatClientOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan
            && (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.AttemptTimeout > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AttemptTimeout, "The attempt timeout must be between 10 ms and 1 day, or infinite.");
        }

        _options = options;
        _logger = logger ?? NullLogger.Instance;

        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(ServerRequestedDelay(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    LogRetrying(_logger, _options.ModelName, Describe(args.Outcome.Exception), args.AttemptNumber + 1, _options.MaxRetries, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout });
        }

        _pipeline = builder.Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var state = new CallState(InnerClient, messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList(), options);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (ctx, s) =>
                {
                    s.Attempts++;
                    return await s.Inner.GetResponseAsync(s.Messages, s.Options, ctx.CancellationToken);
                },
                context,
                state);

            response.AdditionalProperties ??= [];
            response.AdditionalProperties[ChatResponseAnnotations.Attempts] = state.Attempts;
            return response;
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var timeout = new TimeoutException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The model '{_options.ModelName}' did not answer within the per-attempt timeout of {_options.AttemptTimeout.TotalSeconds:0.###} s; gave up after {state.Attempts} attempt(s)."),
                ex);
            timeout.Data[ChatResponseAnnotations.Attempts] = state.Attempts;
            throw timeout;
        }
        catch (Exception ex) when (RecordAttempts(ex, state.Attempts))
        {
            throw; // Unreachable: the filter only records the attempt count.
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>True for failures worth another attempt; never for the caller's own cancellation.</summary>
    internal static bool IsTransient(Exception? exception, CancellationToken callerToken)
    {
        if (exception is null || callerToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            TimeoutRejectedException => true,
            ClientResultException result => IsTransientStatus(result.Status),
            HttpRequestException http => http.StatusCode is null || IsTransientStatus((int)http.StatusCode),
            IOException => true,

            // Not the caller's token, so an inner timeout (e.g. HttpClient.Timeout) fired.
            OperationCanceledException => true,
            _ => false,
        };
    }

    private static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or >= 500;

    private TimeSpan? ServerRequestedDelay(Exception? exception)
    {
        if (exception is not ClientResultException result)
        {
            return null;
        }

        var wait = RetryAfter.FromResponse(result.GetRawResponse(), _options.TimeProvider.GetUtcNow());
        return wait is { } w && w > _options.MaxRetryAfter ? _options.MaxRetryAfter : wait;
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "no exception",
        TimeoutRejectedException => "attempt timed out",
        ClientResultException { Status: > 0 } result => "HTTP " + result.Status.ToString(CultureInfo.InvariantCulture),
        _ => exception.GetType().Name,
    };

    private static bool RecordAttempts(Exception exception, int attempts)
    {
        if (exception is not OperationCanceledException && !exception.Data.IsReadOnly)
        {
            exception.Data[ChatResponseAnnotations.Attempts] = attempts;
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call to model {Model} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    private static partial void LogRetrying(ILogger logger, string model, string reason, int retry, int maxRetries, long delayMs);
}
