namespace EvalLoop.TestUtilities;

/// <summary>
/// What the loopback server answers to one chat request. Token counts default to a length/4 estimate so usage is
/// always present, as with real providers.
/// </summary>
/// <param name="Text">The assistant message content.</param>
/// <param name="PromptTokens">Reported <c>usage.prompt_tokens</c>; null means estimated from the request.</param>
/// <param name="CompletionTokens">Reported <c>usage.completion_tokens</c>; null means estimated from <paramref name="Text"/>.</param>
/// <param name="FinishReason">Reported <c>finish_reason</c>.</param>
public sealed record LoopbackChatAnswer(string Text, int? PromptTokens = null, int? CompletionTokens = null, string FinishReason = "stop")
{
    public static implicit operator LoopbackChatAnswer(string text) => FromText(text);

    public static LoopbackChatAnswer FromText(string text) => new(text);
}
