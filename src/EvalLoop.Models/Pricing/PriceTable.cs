using EvalLoop.Core.Models;

namespace EvalLoop.Models.Pricing;

/// <summary>
/// Built-in list prices (USD per million tokens, standard tier, as published by OpenAI in 2025) for common hosted models.
/// An experiment's <see cref="ModelSettings.Price"/> always wins over this table; it exists so that cost tracking works
/// without configuration for the usual models. Unknown and local models cost nothing.
/// </summary>
/// <remarks>
/// Lookup is by exact name first, then by the longest known prefix followed by <c>-</c>, so dated snapshots
/// (<c>gpt-4o-2024-08-06</c>) find their family while <c>gpt-4o-mini</c> never resolves to <c>gpt-4o</c>. Cached input
/// tokens are priced as ordinary input tokens, which makes the recorded cost an upper bound.
/// </remarks>
public static class PriceTable
{
    /// <summary>A zero price, used for the offline model and for unknown models.</summary>
    public static ModelPrice Free { get; } = new(0m, 0m);

    private static readonly Dictionary<string, ModelPrice> Prices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o"] = new(2.50m, 10.00m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m),
        ["gpt-4.1"] = new(2.00m, 8.00m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m),
        ["gpt-4-turbo"] = new(10.00m, 30.00m),
        ["gpt-3.5-turbo"] = new(0.50m, 1.50m),
        ["gpt-5"] = new(1.25m, 10.00m),
        ["gpt-5-mini"] = new(0.25m, 2.00m),
        ["gpt-5-nano"] = new(0.05m, 0.40m),
        ["o1"] = new(15.00m, 60.00m),
        ["o1-mini"] = new(1.10m, 4.40m),
        ["o3"] = new(2.00m, 8.00m),
        ["o3-mini"] = new(1.10m, 4.40m),
        ["o4-mini"] = new(1.10m, 4.40m),
    };

    /// <summary>The model names the table knows.</summary>
    public static IReadOnlyCollection<string> KnownModels => Prices.Keys;

    /// <summary>Finds the price of <paramref name="model"/>; false when the table does not know it.</summary>
    public static bool TryFind(string? model, out ModelPrice price)
    {
        price = Free;
        if (string.IsNullOrWhiteSpace(model))
        {
            return false;
        }

        var name = model.Trim();

        // Hosted names sometimes carry an owner prefix ("openai/gpt-4o").
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        if (Prices.TryGetValue(name, out var exact))
        {
            price = exact;
            return true;
        }

        string? best = null;
        foreach (var known in Prices.Keys)
        {
            if (name.Length > known.Length
                && name[known.Length] == '-'
                && name.StartsWith(known, StringComparison.OrdinalIgnoreCase)
                && (best is null || known.Length > best.Length))
            {
                best = known;
            }
        }

        if (best is null)
        {
            return false;
        }

        price = Prices[best];
        return true;
    }

    /// <summary>The cost of a call with the given token counts.</summary>
    public static decimal Cost(ModelPrice price, long inputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        return ((inputTokens * price.InputPerMillion) + (outputTokens * price.OutputPerMillion)) / 1_000_000m;
    }
}
