using System.Text.Json;

namespace EvalLoop.EndToEnd.Tests;

/// <summary>The real CLI, through the <c>./evalloop</c> script, on temp copies of the sample workspace.</summary>
[Collection("cli")]
public sealed class CliTests
{
    [Fact]
    public async Task QuickstartRunsTheSampleExperimentOnAFreshCopyOfTheWorkspace()
    {
        using var workspace = CliProcess.CopySampleWorkspace();
        var experimentBefore = File.ReadAllText(workspace.File("experiments/banking77-intents.yaml"));

        var result = await CliProcess.RunAsync(workspace.Path, "quickstart");

        result.ExitCode.Should().Be(0, result.ToString());
        var gain = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"after:\s+[\d.]+ ?% \(run [^)]+\): \+(\d+\.\d) points");
        gain.Success.Should().BeTrue("the quickstart ends with one auto-approving loop round and its before and after:\n" + result.Stdout);
        double.Parse(gain.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(15, "the loop must earn at least 15 points on the held-out test split");
        File.ReadAllText(workspace.File("experiments/banking77-intents.yaml")).Should().Be(experimentBefore, "the loop round runs on a scratch copy");
        result.Stdout.Should().Contain("banking77-intents").And.Contain("intent-match").And.Contain("616");
        result.Stdout.Should().Contain(workspace.File(".evalloop/evalloop.db"));
        result.Stdout.Should().Contain("Report: " + workspace.File(".evalloop/reports/"));
        result.Stdout.Should().MatchRegex(@"\d+ failures in \d+ patterns", "the quickstart clusters the failing cases");
        File.Exists(workspace.File(".evalloop/evalloop.db")).Should().BeTrue();

        var runs = await CliProcess.RunAsync(workspace.Path, "runs", "list", "--json");
        runs.ExitCode.Should().Be(0, runs.ToString());
        using var json = JsonDocument.Parse(runs.Stdout);
        var run = json.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        run.GetProperty("cases").GetInt32().Should().Be(616);
        run.GetProperty("status").GetString().Should().Be("completed");
    }

    [Fact]
    public async Task RunJsonPrintsTheFiguresAndExitsOneWhenTheTargetIsMissedAndCountsCacheHitsOnTheSecondRun()
    {
        using var workspace = CliProcess.CopySampleWorkspace();
        string[] args = ["run", "experiments/banking77-intents.yaml", "--json"];

        var first = await CliProcess.RunAsync(workspace.Path, args);
        var second = await CliProcess.RunAsync(workspace.Path, args);

        first.ExitCode.Should().Be(1, "the offline baseline misses the 0.85 target\n" + first);
        using var a = JsonDocument.Parse(first.Stdout);
        var root = a.RootElement;
        root.GetProperty("cases").GetInt32().Should().Be(616);
        (root.GetProperty("passed").GetInt32() + root.GetProperty("failed").GetInt32() + root.GetProperty("errored").GetInt32()).Should().Be(616);
        var scorer = root.GetProperty("scorers").GetProperty("intent-match");
        scorer.GetProperty("target").GetDouble().Should().Be(0.85);
        scorer.GetProperty("met").GetBoolean().Should().BeFalse();
        scorer.GetProperty("pass_rate").GetDouble().Should().BeApproximately(root.GetProperty("passed").GetInt32() / 616.0, 1e-9);
        root.GetProperty("tokens").GetInt64().Should().BeGreaterThan(0);
        root.GetProperty("cache_hits").GetInt32().Should().Be(0);
        root.GetProperty("wall_seconds").GetDouble().Should().BeGreaterThan(0);
        root.GetProperty("run_id").GetString().Should().NotBeNullOrEmpty();

        using var b = JsonDocument.Parse(second.Stdout);
        b.RootElement.GetProperty("cache_hits").GetInt32().Should().Be(616, "the second identical run is served from the response cache");
        b.RootElement.GetProperty("passed").GetInt32().Should().Be(root.GetProperty("passed").GetInt32());
    }

    [Fact]
    public async Task AMalformedDatasetLineIsAnInputErrorNamingFileAndLineAndNothingIsStored()
    {
        using var workspace = SmallWorkspace();
        workspace.Write("datasets/tiny.jsonl", "{\"input\": \"a\", \"expected\": \"x\"}\n{\"input\": \"b\", \"expected\": \"y\"}\n{\"input\": \"c\", \"expected\": \n");

        var result = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("tiny.jsonl:3");
        var runs = await CliProcess.RunAsync(workspace.Path, "runs", "list", "--json");
        JsonDocument.Parse(runs.Stdout).RootElement.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task AnUnknownScorerIsAnInputErrorNamingFileLineAndKey()
    {
        using var workspace = SmallWorkspace();
        workspace.Write("experiments/tiny.yaml", TinyExperiment.Replace("scorers: [exact-match]", "scorers: [exact-match, no-such-scorer]", StringComparison.Ordinal));

        var result = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("tiny.yaml:").And.Contain("scorers[1]").And.Contain("no-such-scorer");
    }

    [Fact]
    public async Task FailUnderDecidesTheExitCodeWhenThereAreNoTargets()
    {
        using var workspace = SmallWorkspace();

        var pass = await CliProcess.RunAsync(workspace.Path, "run", "tiny", "--fail-under", "0.5", "--json");
        var fail = await CliProcess.RunAsync(workspace.Path, "run", "tiny", "--fail-under", "1", "--json");

        pass.ExitCode.Should().Be(0, pass.ToString());
        fail.ExitCode.Should().Be(1, fail.ToString());
        JsonDocument.Parse(pass.Stdout).RootElement.GetProperty("passed").GetInt32().Should().Be(2, "two of the three inputs name their label");
    }

    [Fact]
    public async Task UsageErrorsExitWithTwo()
    {
        using var workspace = SmallWorkspace();

        var noExperiment = await CliProcess.RunAsync(workspace.Path, "run");
        var badFailUnder = await CliProcess.RunAsync(workspace.Path, "run", "tiny", "--fail-under", "7");
        var unknownRun = await CliProcess.RunAsync(workspace.Path, "runs", "show", "nope");

        noExperiment.ExitCode.Should().Be(2, noExperiment.ToString());
        badFailUnder.ExitCode.Should().Be(2, badFailUnder.ToString());
        unknownRun.ExitCode.Should().Be(2, unknownRun.ToString());
    }

    [Fact]
    public async Task VersionPrintsTheProductVersion()
    {
        using var workspace = SmallWorkspace();

        var version = await CliProcess.RunAsync(workspace.Path, "--version");

        version.ExitCode.Should().Be(0, version.ToString());
        version.Stdout.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+(\+[0-9a-f]+)?$");
    }

    [Fact]
    public async Task TheSelfCheckLoadsEveryAssemblyOfTheBuildAndFailsOnADamagedOne()
    {
        using var workspace = SmallWorkspace();
        (await CliProcess.RunAsync(workspace.Path, "--version")).ExitCode.Should().Be(0, "the script builds the CLI first");
        var cli = Path.GetDirectoryName(CliProcess.CliDll)!;
        var copy = Path.Combine(workspace.Path, "cli-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(cli))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var good = await CliProcess.RunDllAsync(workspace.Path, Path.Combine(copy, "evalloop.dll"), "--self-check");
        // An ahead-of-time compilation cut short leaves an assembly that only fails when first loaded, mid-command.
        var damaged = Path.Combine(copy, "EvalLoop.Storage.Sqlite.dll");
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..20_000]);
        var bad = await CliProcess.RunDllAsync(workspace.Path, Path.Combine(copy, "evalloop.dll"), "--self-check");

        good.ExitCode.Should().Be(0, good.ToString());
        bad.ExitCode.Should().NotBe(0, bad.ToString());
        bad.Stderr.Should().Contain("EvalLoop.Storage.Sqlite.dll");
    }

    [Fact]
    public async Task ImportsACsvDatasetIntoJsonlAndSnapshotsIt()
    {
        using var workspace = SmallWorkspace();
        workspace.Write("tickets.csv", "text,label,team\n\"Card, lost\",lost_card,cards\nWhere is my money?,transfer,payments\n");

        var import = await CliProcess.RunAsync(workspace.Path, "dataset", "import", "tickets.csv", "--input-column", "text", "--expected-column", "label", "--name", "tickets");
        var list = await CliProcess.RunAsync(workspace.Path, "dataset", "list", "--json");

        import.ExitCode.Should().Be(0, import.ToString());
        var lines = File.ReadAllLines(workspace.File("datasets/tickets.jsonl"));
        lines.Should().HaveCount(2);
        using var first = JsonDocument.Parse(lines[0]);
        first.RootElement.GetProperty("input").GetString().Should().Be("Card, lost");
        first.RootElement.GetProperty("expected").GetString().Should().Be("lost_card");
        first.RootElement.GetProperty("metadata").GetProperty("team").GetString().Should().Be("cards");
        list.Stdout.Should().Contain("\"tickets\"");
    }

    [Fact]
    public async Task ACsvImportNamingAMissingColumnFailsAndWritesNothing()
    {
        using var workspace = SmallWorkspace();
        workspace.Write("tickets.csv", "text,label\nhello,greeting\n");

        var import = await CliProcess.RunAsync(workspace.Path, "dataset", "import", "tickets.csv", "--input-column", "body", "--name", "tickets");

        import.ExitCode.Should().Be(2, import.ToString());
        import.Stderr.Should().Contain("tickets.csv:1").And.Contain("body");
        File.Exists(workspace.File("datasets/tickets.jsonl")).Should().BeFalse();
    }

    [Fact]
    public async Task InitCreatesAWorkspaceWhoseExampleRuns()
    {
        using var workspace = new TempWorkspace();

        var init = await CliProcess.RunAsync(workspace.Path, "init", ".");
        var run = await CliProcess.RunAsync(workspace.Path, "run", "experiments/support-tickets.yaml", "--json");

        init.ExitCode.Should().Be(0, init.ToString());
        run.ExitCode.Should().BeOneOf([0, 1], run.ToString());
        JsonDocument.Parse(run.Stdout).RootElement.GetProperty("cases").GetInt32().Should().Be(6);
    }

    internal const string TinyExperiment = """
        name: tiny
        dataset: tiny
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

    internal static TempWorkspace SmallWorkspace()
    {
        var workspace = new TempWorkspace();
        workspace.Write("datasets/tiny.jsonl", """
            {"id": "1", "input": "this is about alpha", "expected": "alpha"}
            {"id": "2", "input": "beta is the topic", "expected": "beta"}
            {"id": "3", "input": "nothing matches here", "expected": "gamma"}

            """);
        workspace.Write("experiments/tiny.yaml", TinyExperiment);
        return workspace;
    }
}
