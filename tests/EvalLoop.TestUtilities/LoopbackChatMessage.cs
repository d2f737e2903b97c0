namespace EvalLoop.TestUtilities;

/// <summary>One message of a chat completions request (text parts joined).</summary>
public sealed record LoopbackChatMessage(string Role, string Content);
