using System.Text;
using System.Text.Json;

namespace EvalLoop.EndToEnd.Tests;

/// <summary><c>evalloop analyze</c> and <c>analyze: true</c> through the real CLI, on a small offline workspace.</summary>
[Collection("cli")]
public sealed class CliAnalyzeTests
{
    private const string Experiment = """
        name: routed
        dataset: routed
        analyze: true
        prompt:
          system: |
            Answer with one of:
            - alpha
            - beta
            - gamma
          user: "{{input}}"
        model:
          provider: offline
        scorers: [exact-match]
        concurrency: 2

        """;

    [Fact]
    public async Task ARunThatAsksForAnalysisPrintsItsClustersAndAnalyzeShowsThemAgain()
    {
        using var workspace = Workspace();

        var run = await CliProcess.RunAsync(workspace.Path, "run", "routed", "--json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var report = JsonDocument.Parse(run.Stdout);
        var runId = report.RootElement.GetProperty("run_id").GetString()!;
        var failed = report.RootElement.GetProperty("failed").GetInt32();
        failed.Should().BeGreaterThan(0, "the workspace plants wrong answers");
        var analysis = report.RootElement.GetProperty("analysis");
        analysis.GetProperty("run_id").GetString().Should().Be(runId);
        analysis.GetProperty("failures").GetInt32().Should().Be(failed);

        var analyze = await CliProcess.RunAsync(workspace.Path, "analyze", runId, "--json");

        analyze.ExitCode.Should().Be(0, analyze.ToString());
        using var json = JsonDocument.Parse(analyze.Stdout);
        var root = json.RootElement;
        root.GetProperty("run_id").GetString().Should().Be(runId);
        var clusters = root.GetProperty("clusters").EnumerateArray().ToList();
        clusters.Should().NotBeEmpty();
        clusters.Sum(c => c.GetProperty("size").GetInt32()).Should().Be(failed);
        clusters.SelectMany(c => c.GetProperty("case_ids").EnumerateArray().Select(id => id.GetString())).Should().OnlyHaveUniqueItems().And.HaveCount(failed);
        clusters.Should().OnlyContain(c => c.GetProperty("id").GetString()!.StartsWith(runId, StringComparison.Ordinal)
            && c.GetProperty("name").GetString()!.Length > 0
            && c.GetProperty("description").GetString()!.Length > 0);
        clusters.Should().Contain(c => c.GetProperty("name").GetString() == "gamma \u2192 beta", "every 'beta' question labelled gamma is answered beta");
        JsonSerializer.Serialize(root.GetProperty("clusters")).Should().Be(JsonSerializer.Serialize(analysis.GetProperty("clusters")), "the same run gives the same clusters");
    }

    [Fact]
    public async Task AnalyzePrintsATableAndAnUnknownRunIsAUsageError()
    {
        using var workspace = Workspace(analyze: false);
        var run = await CliProcess.RunAsync(workspace.Path, "run", "routed", "--json");
        using var report = JsonDocument.Parse(run.Stdout);
        report.RootElement.TryGetProperty("analysis", out _).Should().BeFalse("the experiment does not ask for analysis");
        var runId = report.RootElement.GetProperty("run_id").GetString()!;

        var table = await CliProcess.RunAsync(workspace.Path, "analyze", runId);
        var unknown = await CliProcess.RunAsync(workspace.Path, "analyze", "no-such-run");

        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("patterns").And.Contain("gamma \u2192 beta").And.Contain("evalloop.db");
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("no-such-run");
    }

    private static TempWorkspace Workspace(bool analyze = true)
    {
        var workspace = new TempWorkspace();
        var lines = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            lines.AppendLine($$"""{"id": "a{{i}}", "input": "a question about alpha number {{i}}", "expected": "alpha"}""");
            lines.AppendLine($$"""{"id": "b{{i}}", "input": "please route this beta request {{i}}", "expected": "beta"}""");
            lines.AppendLine($$"""{"id": "g{{i}}", "input": "my beta card problem {{i}}", "expected": "gamma"}""");
        }

        workspace.Write("datasets/routed.jsonl", lines.ToString());
        workspace.Write("experiments/routed.yaml", analyze ? Experiment : Experiment.Replace("analyze: true\n", string.Empty, StringComparison.Ordinal));
        return workspace;
    }
}
