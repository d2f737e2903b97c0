using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions;
using EvalLoop.Suggestions.Applying;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the suggester and the approver with a host's service collection.</summary>
public static class SuggestionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Suggester"/> and <see cref="SuggestionApprover"/> as singletons. Needs registrations of
    /// <see cref="ExperimentRunner"/>, <see cref="ExperimentLoader"/>, <see cref="WorkspaceLayout"/>,
    /// <see cref="IRunStore"/>, <see cref="IRunResultStore"/>, <see cref="IDatasetStore"/>, <see cref="IFailureAnalyzer"/>,
    /// <see cref="IClusterStore"/>, <see cref="ISuggestionStore"/>, <see cref="IFileVersionStore"/>,
    /// <see cref="IScorerFactory"/>, <see cref="IChatClientFactory"/> and an embedding generator of strings; uses a
    /// <see cref="TimeProvider"/> and an <see cref="ILoggerFactory"/> when registered. The options are validated here.
    /// </summary>
    public static IServiceCollection AddEvalLoopSuggestions(this IServiceCollection services, SuggesterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new SuggesterOptions();
        SuggesterOptionsValidator.ThrowIfInvalid(options);
        services.TryAddSingleton(sp => new Suggester(
            sp.GetRequiredService<ExperimentRunner>(),
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<IRunResultStore>(),
            sp.GetRequiredService<IDatasetStore>(),
            sp.GetRequiredService<IFailureAnalyzer>(),
            sp.GetRequiredService<IClusterStore>(),
            sp.GetRequiredService<ISuggestionStore>(),
            sp.GetRequiredService<IScorerFactory>(),
            sp.GetRequiredService<IChatClientFactory>(),
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetRequiredService<WorkspaceLayout>(),
            options,
            strategies: null,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<Suggester>()));
        services.TryAddSingleton(sp => new SuggestionApprover(
            sp.GetRequiredService<ISuggestionStore>(),
            sp.GetRequiredService<IFileVersionStore>(),
            sp.GetRequiredService<ExperimentLoader>(),
            sp.GetRequiredService<WorkspaceLayout>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}
