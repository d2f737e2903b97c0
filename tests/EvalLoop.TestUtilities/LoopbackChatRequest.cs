namespace EvalLoop.TestUtilities;

/// <summary>A parsed <c>POST .../chat/completions</c> request handed to <see cref="LoopbackOpenAiServer.Responder"/>.</summary>
/// <param name="Model">The <c>model</c> field (for Azure, the deployment name).</param>
/// <param name="Messages">The messages, in order.</param>
/// <param name="Temperature">The <c>temperature</c> field, if sent.</param>
/// <param name="MaxTokens">The <c>max_completion_tokens</c> (or legacy <c>max_tokens</c>) field, if sent.</param>
/// <param name="Stream">Whether the client asked for server-sent events.</param>
public sealed record LoopbackChatRequest(
    string Model,
    IReadOnlyList<LoopbackChatMessage> Messages,
    double? Temperature,
    int? MaxTokens,
    bool Stream)
{
    /// <summary>The content of the last user message, or empty.</summary>
    public string LastUserMessage
    {
        get
        {
            for (var i = Messages.Count - 1; i >= 0; i--)
            {
                if (Messages[i].Role == "user")
                {
                    return Messages[i].Content;
                }
            }

            return string.Empty;
        }
    }
}
