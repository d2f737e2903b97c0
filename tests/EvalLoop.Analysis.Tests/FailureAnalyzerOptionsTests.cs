using EvalLoop.Core.Analysis;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Analysis.Tests;

public sealed class FailureAnalyzerOptionsTests
{
    [Fact]
    public void TheDefaultsAreValid()
    {
        FailureAnalyzerOptionsValidator.Validate(new FailureAnalyzerOptions()).Should().BeEmpty();
    }

    [Fact]
    public void NamesEveryInvalidOption()
    {
        var options = new FailureAnalyzerOptions { MinClusters = 1, MaxClusters = 0, SelectionSampleSize = 10, Restarts = 0, InputWeight = float.NaN, Representatives = 0 };

        var problems = FailureAnalyzerOptionsValidator.Validate(options);

        string.Join(" ", problems).Should().Contain("MinClusters").And.Contain("MaxClusters").And.Contain("SelectionSampleSize")
            .And.Contain("Restarts").And.Contain("InputWeight").And.Contain("Representatives");
        var create = () => new ServiceCollection().AddEvalLoopAnalysis(options);
        create.Should().Throw<ArgumentException>().WithMessage("*MinClusters*");
    }

    [Fact]
    public void RegistersTheAnalyzerOverTheRegisteredStoresWithACachingGenerator()
    {
        var runs = new InMemoryRunStore();
        var cache = new InMemoryEmbeddingCache();
        using var services = new ServiceCollection()
            .AddSingleton<Core.Runs.IRunStore>(runs)
            .AddSingleton<Core.Runs.IRunResultStore>(runs)
            .AddSingleton<Core.Datasets.IDatasetStore>(new InMemoryDatasetStore())
            .AddSingleton<IClusterStore>(new InMemoryClusterStore())
            .AddSingleton<IEmbeddingCache>(cache)
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new CallbackEmbeddingGenerator(_ => [1f]))
            .AddEvalLoopAnalysis()
            .BuildServiceProvider();

        services.GetRequiredService<IFailureAnalyzer>().Should().BeSameAs(services.GetRequiredService<FailureAnalyzer>());
    }
}
