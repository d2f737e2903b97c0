using Microsoft.Extensions.AI;

namespace EvalLoop.Core.Models;

/// <summary>
/// Keys the wrappers put into <see cref="ChatResponse.AdditionalProperties"/> so the runner can record them per case
/// without knowing which wrappers ran.
/// </summary>
public static class ChatResponseAnnotations
{
    /// <summary>bool: the response came from the response cache.</summary>
    public const string CacheHit = "evalloop.cache_hit";

    /// <summary>decimal: the cost of this call from the price table (0 for cache hits).</summary>
    public const string Cost = "evalloop.cost";

    /// <summary>int: how many attempts the call took (1 = no retry).</summary>
    public const string Attempts = "evalloop.attempts";

    public static bool IsCacheHit(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(CacheHit, out var value) == true && value is true;

    public static decimal GetCost(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(Cost, out var value) == true && value is decimal cost ? cost : 0m;
}
