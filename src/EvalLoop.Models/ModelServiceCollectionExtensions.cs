using EvalLoop.Core.Caching;
using EvalLoop.Core.Models;
using EvalLoop.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the model providers with a host's service collection.</summary>
public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModelProviderFactory"/> as the singleton <see cref="IChatClientFactory"/>. Needs an
    /// <see cref="IResponseCache"/> registration; uses <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> when
    /// registered. The options are validated here, at start-up.
    /// </summary>
    public static IServiceCollection AddEvalLoopModels(this IServiceCollection services, ModelProviderFactoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new ModelProviderFactoryOptions();
        ModelProviderFactoryOptionsValidator.ThrowIfInvalid(options);
        services.TryAddSingleton<IChatClientFactory>(sp => new ModelProviderFactory(
            sp.GetRequiredService<IResponseCache>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            options));
        return services;
    }
}
