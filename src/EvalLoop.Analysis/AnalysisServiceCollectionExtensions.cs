using EvalLoop.Analysis;
using EvalLoop.Analysis.Describing;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the failure analyzer with a host's service collection.</summary>
public static class AnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FailureAnalyzer"/> as the singleton <see cref="IFailureAnalyzer"/>. Needs registrations of
    /// <see cref="IRunStore"/>, <see cref="IRunResultStore"/>, <see cref="IDatasetStore"/>, <see cref="IClusterStore"/>,
    /// <see cref="IEmbeddingCache"/> and an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings, which it
    /// wraps in a <see cref="CachingEmbeddingGenerator"/>; uses an <see cref="IClusterNamer"/>, a
    /// <see cref="TimeProvider"/> and an <see cref="ILoggerFactory"/> when registered. The options are validated here,
    /// at start-up.
    /// </summary>
    public static IServiceCollection AddEvalLoopAnalysis(this IServiceCollection services, FailureAnalyzerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new FailureAnalyzerOptions();
        FailureAnalyzerOptionsValidator.ThrowIfInvalid(options);
        services.TryAddSingleton(sp => new FailureAnalyzer(
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<IRunResultStore>(),
            sp.GetRequiredService<IDatasetStore>(),
            sp.GetRequiredService<IClusterStore>(),
            new CachingEmbeddingGenerator(sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), sp.GetRequiredService<IEmbeddingCache>()),
            options,
            sp.GetService<IClusterNamer>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<FailureAnalyzer>()));
        services.TryAddSingleton<IFailureAnalyzer>(sp => sp.GetRequiredService<FailureAnalyzer>());
        return services;
    }
}
