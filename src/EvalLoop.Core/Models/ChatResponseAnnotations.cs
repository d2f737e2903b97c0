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

    /// <summary>
    /// Request option (in <see cref="ChatOptions.AdditionalProperties"/>): the trial number when an experiment runs each
    /// case several times, so trials are cached separately. Options with the <see cref="Prefix"/> are for EvalLoop's
    /// wrappers only and are removed before a request reaches a provider.
    /// </summary>
    public const string TrialOption = "evalloop.trial";

    /// <summary>The prefix of every EvalLoop annotation and request option.</summary>
    public const string Prefix = "evalloop.";

    /// <summary>int: how many attempts the call took (1 = no retry).</summary>
    public const string Attempts = "evalloop.attempts";

    public static bool IsCacheHit(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(CacheHit, out var value) == true && value is true;

    public static decimal GetCost(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(Cost, out var value) == true && value is decimal cost ? cost : 0m;
}
