using Microsoft.Extensions.AI;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// A hand-written <see cref="IChatClient"/> whose behaviour is a callback that sees the messages, options and token, for
/// unit tests of wrappers (<see cref="FakeChatClient"/> is the simpler text-only variant). Counts calls and
/// keeps the messages and options of each call.
/// </summary>
public sealed class CallbackChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> _respond;
    private readonly List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _calls = [];
    private readonly Lock _gate = new();

    /// <summary>Answers every call with <paramref name="respond"/>.</summary>
    public CallbackChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> respond) =>
        _respond = respond ?? throw new ArgumentNullException(nameof(respond));

    /// <summary>Answers every call with a fixed text and the given usage.</summary>
    public CallbackChatClient(string text, long inputTokens = 10, long outputTokens = 5)
        : this((_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "fake-model",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        }))
    {
    }

    /// <summary>Number of <see cref="GetResponseAsync"/> calls so far.</summary>
    public int CallCount
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>The messages and options of each call, in order.</summary>
    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (_gate)
        {
            _calls.Add((list, options));
        }

        return _respond(list, options, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    public void Dispose()
    {
    }
}
