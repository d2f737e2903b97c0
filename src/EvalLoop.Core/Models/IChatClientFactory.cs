using Microsoft.Extensions.AI;

namespace EvalLoop.Core.Models;

/// <summary>
/// Builds the chat client an experiment calls: the provider wrapped in the cross-cutting behaviour
/// (response cache, retries, rate limits, usage and cost).
/// </summary>
public interface IChatClientFactory
{
    /// <summary>Creates a client for <paramref name="settings"/>. Throws <see cref="ModelConfigurationException"/> when the settings cannot work (missing key, bad URL).</summary>
    IChatClient Create(ModelSettings settings, ChatClientCreationOptions options);
}

/// <summary>Per-run choices that shape the wrapper stack.</summary>
public sealed record ChatClientCreationOptions
{
    /// <summary>Use the response cache (read and write). <c>--no-cache</c> turns it off.</summary>
    public bool UseCache { get; init; } = true;
}

/// <summary>A model configuration problem detected before any call.</summary>
public sealed class ModelConfigurationException(string message) : Exception(message);
