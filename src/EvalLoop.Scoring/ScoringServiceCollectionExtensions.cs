using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using EvalLoop.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scorer library with a host's service collection.</summary>
public static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BuiltInScorerFactory"/> as the singleton <see cref="IScorerFactory"/>. It uses the
    /// registered <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> (for <c>embedding-similarity</c>) and
    /// <see cref="IChatClientFactory"/> (for judges) when there are any. The options are validated here, at start-up.
    /// </summary>
    public static IServiceCollection AddEvalLoopScoring(this IServiceCollection services, BuiltInScorerFactoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new BuiltInScorerFactoryOptions();
        BuiltInScorerFactoryOptionsValidator.ThrowIfInvalid(options);
        services.TryAddSingleton<IScorerFactory>(sp => new BuiltInScorerFactory(
            sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetService<IChatClientFactory>(),
            options));
        return services;
    }
}
