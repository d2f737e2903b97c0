using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Wrappers;

public sealed partial class ResilientChatClient
{
    /// <summary>One call's inputs and attempt counter, passed to the pipeline without a closure.</summary>
    private sealed class CallState(IChatClient inner, IReadOnlyCollection<ChatMessage> messages, ChatOptions? options)
    {
        public IChatClient Inner { get; } = inner;

        public IReadOnlyCollection<ChatMessage> Messages { get; } = messages;

        public ChatOptions? Options { get; } = options;

        public int Attempts { get; set; }
    }
}
