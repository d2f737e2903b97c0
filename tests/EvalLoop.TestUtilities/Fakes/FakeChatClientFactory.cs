using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>Hands the runner a given client regardless of the model settings.</summary>
public sealed class FakeChatClientFactory(IChatClient client) : IChatClientFactory
{
    public IChatClient Create(ModelSettings settings, ChatClientCreationOptions options) => client;
}
