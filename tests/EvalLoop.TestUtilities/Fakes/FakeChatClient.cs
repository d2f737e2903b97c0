using Microsoft.Extensions.AI;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>A chat client whose answers come from a callback; counts calls and the peak number in flight.</summary>
public sealed class FakeChatClient(Func<IReadOnlyList<ChatMessage>, CancellationToken, Task<string>> respond) : IChatClient
{
    private int _inFlight;
    private int _peak;
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public int PeakConcurrency => Volatile.Read(ref _peak);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        try
        {
            var list = messages.ToList();
            var text = await respond(list, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                Usage = new UsageDetails { InputTokenCount = list.Sum(m => m.Text.Length) / 4, OutputTokenCount = Math.Max(1, text.Length / 4) },
                AdditionalProperties = [],
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
