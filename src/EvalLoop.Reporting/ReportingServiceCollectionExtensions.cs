using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Reporting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTML reports with a host's service collection.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HtmlReportGenerator"/> as a singleton. Needs <see cref="IRunStore"/>,
    /// <see cref="IRunResultStore"/> and <see cref="IDatasetStore"/>; uses <see cref="IClusterStore"/>,
    /// <see cref="ISuggestionStore"/>, <see cref="IRegressionStore"/> and <see cref="TimeProvider"/> when registered. The options are validated here.
    /// </summary>
    public static IServiceCollection AddEvalLoopReporting(this IServiceCollection services, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new ReportOptions();
        ReportOptionsValidator.ThrowIfInvalid(options);
        services.TryAddSingleton(sp => new HtmlReportGenerator(
            new ReportSources(
                sp.GetRequiredService<IRunStore>(),
                sp.GetRequiredService<IRunResultStore>(),
                sp.GetRequiredService<IDatasetStore>(),
                sp.GetService<IClusterStore>(),
                sp.GetService<ISuggestionStore>(),
                Regressions: sp.GetService<IRegressionStore>()),
            options,
            sp.GetService<TimeProvider>()));
        return services;
    }
}
