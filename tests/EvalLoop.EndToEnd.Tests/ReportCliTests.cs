using System.Text.Json;

namespace EvalLoop.EndToEnd.Tests;

/// <summary><c>evalloop report</c> and the report every <c>run</c> writes, through the real CLI.</summary>
[Collection("cli")]
public sealed class ReportCliTests
{
    [Fact]
    public async Task EveryRunWritesItsReportAndTheReportCommandWritesRunAndDiffReports()
    {
        using var workspace = CliTests.SmallWorkspace();

        var first = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml", "--json");
        workspace.Write("experiments/tiny.yaml", CliTests.TinyExperiment.Replace("Answer with one of:", "Answer with exactly one of:", StringComparison.Ordinal));
        var second = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml");

        first.ExitCode.Should().Be(0, first.ToString());
        using var json = JsonDocument.Parse(first.Stdout);
        var a = json.RootElement.GetProperty("run_id").GetString()!;
        var automatic = json.RootElement.GetProperty("report").GetString()!;
        automatic.Should().Be(workspace.File($".evalloop/reports/{a}.html"));
        File.ReadAllText(automatic).Should().StartWith("<!DOCTYPE html>").And.Contain("tiny").And.Contain("id=\"case-data\"");
        second.Stdout.Should().MatchRegex(@"report: .*\.evalloop/reports/\d{8}-\d{6}-[0-9a-f]{6}\.html", second.ToString());
        var b = Directory.GetFiles(workspace.File(".evalloop/reports")).Select(Path.GetFileNameWithoutExtension).Single(n => n != a)!;

        var report = await CliProcess.RunAsync(workspace.Path, "report", a, "--out", "mine.html");
        var diff = await CliProcess.RunAsync(workspace.Path, "report", "--compare", a, b);

        report.ExitCode.Should().Be(0, report.ToString());
        report.Stdout.Should().Contain("report: " + workspace.File("mine.html")).And.Contain("3 cases");
        File.ReadAllText(workspace.File("mine.html")).Should().Contain("<svg");
        diff.ExitCode.Should().Be(0, diff.ToString());
        var diffPath = workspace.File($".evalloop/reports/compare-{a}-vs-{b}.html");
        diff.Stdout.Should().Contain(diffPath).And.Contain("3 paired results");
        File.ReadAllText(diffPath).Should().Contain("Prompt diff").And.Contain("Answer with exactly one of:");
    }

    [Fact]
    public async Task AnUnknownRunIsAUsageError()
    {
        using var workspace = CliTests.SmallWorkspace();

        var result = await CliProcess.RunAsync(workspace.Path, "report", "no-such-run");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("no-such-run");
        var reports = workspace.File(".evalloop/reports");
        (Directory.Exists(reports) ? Directory.GetFiles(reports) : []).Should().BeEmpty("nothing is written for a run that does not exist");
    }
}
