using EvalLoop.Core.Models;
using EvalLoop.Models.Pricing;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// Puts the cost of each call into <see cref="ChatResponse.AdditionalProperties"/>[<see cref="ChatResponseAnnotations.Cost"/>]
/// as a <see cref="decimal"/>: input and output tokens from <see cref="ChatResponse.Usage"/> times the
/// <see cref="ModelPrice"/> (per million tokens). A cache hit costs 0, as does a response without usage. Streaming
/// calls pass through unannotated.
/// </summary>
public sealed class UsageCostChatClient : DelegatingChatClient
{
    private readonly ModelPrice _price;

    /// <param name="innerClient">The client to annotate.</param>
    /// <param name="price">The price to apply; see <see cref="PriceTable"/> for the built-in defaults.</param>
    public UsageCostChatClient(IChatClient innerClient, ModelPrice price)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(price);
        _price = price;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        var cost = response.IsCacheHit() || response.Usage is null
            ? 0m
            : PriceTable.Cost(_price, response.Usage.InputTokenCount ?? 0, response.Usage.OutputTokenCount ?? 0);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ChatResponseAnnotations.Cost] = cost;
        return response;
    }
}
