using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Wrappers;

/// <summary>
/// The per-call parameters an experiment fixes in <see cref="ModelSettings"/> (model id, temperature, max tokens).
/// They are applied as <see cref="ChatOptions"/> defaults just above the provider: a value the caller sets on the
/// options of one call wins. Wrappers further out (cache key, token estimate) use <see cref="Apply"/> to see the
/// parameters that will actually be sent.
/// </summary>
public sealed record ChatOptionsDefaults(string? ModelId, double? Temperature, int? MaxOutputTokens)
{
    /// <summary>Defaults taken from an experiment's model settings.</summary>
    public static ChatOptionsDefaults From(ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ChatOptionsDefaults(settings.Name, settings.Temperature, settings.MaxTokens);
    }

    /// <summary>Fills the unset members of <paramref name="options"/> in place.</summary>
    public void ApplyTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ModelId ??= ModelId;
        options.Temperature ??= Temperature is null ? null : (float)Temperature.Value;
        options.MaxOutputTokens ??= MaxOutputTokens;
    }

    /// <summary>
    /// Removes EvalLoop's own request options (<see cref="ChatResponseAnnotations.Prefix"/>), which only the wrappers
    /// read, so a provider never receives them as unknown request fields.
    /// </summary>
    public static void RemoveEvalLoopOptions(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var key in properties.Keys.Where(k => k.StartsWith(ChatResponseAnnotations.Prefix, StringComparison.Ordinal)).ToList())
        {
            properties.Remove(key);
        }
    }

    /// <summary>A copy of <paramref name="options"/> (or new options) with the defaults filled in; the input is not changed.</summary>
    public ChatOptions Apply(ChatOptions? options)
    {
        var effective = options?.Clone() ?? new ChatOptions();
        ApplyTo(effective);
        return effective;
    }
}
