using EvalLoop.TestUtilities.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Reporting.Tests;

public sealed class ReportFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evalloop-report-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task WritesTheReportToItsDefaultPathAtomicallyCreatingTheFolder()
    {
        var (scenario, run) = await ScriptPayloadScenario.CreateAsync();
        var path = HtmlReportGeneratorExtensions.RunReportPath(Path.Combine(_directory, "reports"), run.Id);

        var result = await ReportHarness.Generator(scenario).WriteRunReportFileAsync(run.Id, path);

        path.Should().Be(Path.Combine(_directory, "reports", run.Id + ".html"));
        File.ReadAllText(path).Should().StartWith("<!DOCTYPE html>").And.EndWith("</html>\n");
        result.Cases.Should().Be(ScriptPayloadScenario.Cases);
        Directory.GetFiles(Path.Combine(_directory, "reports")).Should().ContainSingle("the temporary file is renamed, not left behind");
    }

    [Fact]
    public async Task AFailedWriteLeavesNoFileAndNoTemporaryFile()
    {
        var (scenario, _) = await ScriptPayloadScenario.CreateAsync();
        var path = Path.Combine(_directory, "missing.html");

        var act = () => ReportHarness.Generator(scenario).WriteRunReportFileAsync("no-such-run", path);

        await act.Should().ThrowAsync<Core.Running.RunNotFoundException>();
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [Fact]
    public void TheComparisonPathNamesBothRunsAndFileNamesAreSafe()
    {
        HtmlReportGeneratorExtensions.ComparisonReportPath("/r", "a", "b").Should().Be("/r/compare-a-vs-b.html");
        HtmlReportGeneratorExtensions.RunReportPath("/r", "../x").Should().Be("/r/.._x.html");
    }

    [Fact]
    public void InvalidOptionsAreRefusedAtStartUpListingEveryProblem()
    {
        var options = new ReportOptions { PageSize = 0, MaxCellCharacters = 5 };

        ReportOptionsValidator.Validate(options).Should().HaveCount(2);
        var act = () => new ServiceCollection().AddEvalLoopReporting(options);
        act.Should().Throw<ArgumentException>().WithMessage("*MaxCellCharacters*PageSize*");
        ReportOptionsValidator.Validate(new ReportOptions()).Should().BeEmpty();
    }

    [Fact]
    public async Task TheServiceRegistrationUsesTheRegisteredStores()
    {
        var (scenario, run) = await ScriptPayloadScenario.CreateAsync();
        var services = new ServiceCollection()
            .AddSingleton<Core.Runs.IRunStore>(scenario.Runs)
            .AddSingleton<Core.Runs.IRunResultStore>(scenario.Runs)
            .AddSingleton<Core.Datasets.IDatasetStore>(scenario.Datasets)
            .AddSingleton<Core.Analysis.IClusterStore>(scenario.Clusters)
            .AddEvalLoopReporting()
            .BuildServiceProvider();

        var (html, _) = await ReportHarness.RunReportAsync(services.GetRequiredService<HtmlReportGenerator>(), run.Id);

        html.Should().Contain("id=\"cluster-0\"").And.Contain("id=\"no-suggestions\"");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
