using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EvalLoop.TestUtilities;

namespace EvalLoop.EndToEnd.Tests;

/// <summary>The real CLI against a loopback OpenAI-compatible server: interruption, resume and re-running failures.</summary>
[Collection("cli")]
public sealed class CliResilienceTests
{
    [Fact]
    public async Task CtrlCKeepsFinishedCasesAndResumeCompletesExactlyTheMissingOnes()
    {
        await using var server = await LoopbackOpenAiServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(100);
        server.Responder = _ => "alpha";
        using var workspace = Workspace(server, cases: 200, concurrency: 4);

        var interrupted = await CliProcess.RunAsync(
            workspace.Path,
            ["run", "experiments/remote.yaml", "--json"],
            onStarted: process => _ = InterruptWhenAsync(process, () => server.RequestCount >= 40));

        interrupted.ExitCode.Should().Be(130, interrupted.ToString());
        using var first = JsonDocument.Parse(interrupted.Stdout);
        first.RootElement.GetProperty("status").GetString().Should().Be("interrupted");
        var stored = first.RootElement.GetProperty("cases").GetInt32();
        stored.Should().BeInRange(36, 199, "finished cases are kept and the run stopped early");
        interrupted.Stderr.Should().Contain("--resume");
        var runId = first.RootElement.GetProperty("run_id").GetString()!;
        var requestsBefore = server.RequestCount;

        var resumed = await CliProcess.RunAsync(workspace.Path, "run", "--resume", runId, "--json");

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        using var second = JsonDocument.Parse(resumed.Stdout);
        second.RootElement.GetProperty("run_id").GetString().Should().Be(runId);
        second.RootElement.GetProperty("status").GetString().Should().Be("completed");
        second.RootElement.GetProperty("cases").GetInt32().Should().Be(200);
        second.RootElement.GetProperty("passed").GetInt32().Should().Be(200);
        (server.RequestCount - requestsBefore).Should().Be(200 - stored, "resume runs exactly the missing cases");
    }

    [Fact]
    public async Task AKilledRunLosesNoCompletedModelCallAndResumeFinishesIt()
    {
        await using var server = await LoopbackOpenAiServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(100);
        server.Responder = _ => "alpha";
        using var workspace = Workspace(server, cases: 200, concurrency: 4);

        var killed = await CliProcess.RunAsync(
            workspace.Path,
            ["run", "experiments/remote.yaml", "--json"],
            onStarted: process => _ = KillWhenAsync(process, () => server.RequestCount >= 60));

        killed.ExitCode.Should().Be(137, "SIGKILL gives the process no chance to clean up\n" + killed);
        var list = await CliProcess.RunAsync(workspace.Path, "runs", "list", "--json");
        using var runs = JsonDocument.Parse(list.Stdout);
        var run = runs.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        run.GetProperty("status").GetString().Should().Be("running", "the process died mid-run");
        var stored = run.GetProperty("cases").GetInt32();
        stored.Should().BeInRange(1, 199);
        var requestsBefore = server.RequestCount;

        var resumed = await CliProcess.RunAsync(workspace.Path, "run", "--resume", run.GetProperty("run_id").GetString()!, "--json");

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        using var json = JsonDocument.Parse(resumed.Stdout);
        json.RootElement.GetProperty("cases").GetInt32().Should().Be(200);
        var recoveredFromCache = json.RootElement.GetProperty("cache_hits").GetInt32();
        (server.RequestCount - requestsBefore).Should().Be(200 - stored - recoveredFromCache,
            "every answered call was either stored or cached; only calls in flight at the kill are repeated");
        (stored + recoveredFromCache).Should().BeLessThanOrEqualTo(requestsBefore);
    }

    [Fact]
    public async Task RerunFailedRunsOnlyTheErroredCasesIntoANewRun()
    {
        await using var server = await LoopbackOpenAiServer.StartAsync();
        server.Responder = _ => "alpha";
        for (var i = 0; i < 5; i++)
        {
            server.EnqueueFault(LoopbackFault.ServerError());
        }

        using var workspace = Workspace(server, cases: 30, concurrency: 2);

        var first = await CliProcess.RunAsync(workspace.Path, "run", "experiments/remote.yaml", "--json");
        using var a = JsonDocument.Parse(first.Stdout);
        a.RootElement.GetProperty("errored").GetInt32().Should().Be(5, first.ToString());
        a.RootElement.GetProperty("error_kinds").GetProperty("http_500").GetInt32().Should().Be(5);
        first.ExitCode.Should().Be(0, "no target is set and errors are recorded, not fatal");
        var requestsBefore = server.RequestCount;

        var rerun = await CliProcess.RunAsync(workspace.Path, "run", "experiments/remote.yaml", "--rerun-failed", a.RootElement.GetProperty("run_id").GetString()!, "--json");

        rerun.ExitCode.Should().Be(0, rerun.ToString());
        using var b = JsonDocument.Parse(rerun.Stdout);
        b.RootElement.GetProperty("run_id").GetString().Should().NotBe(a.RootElement.GetProperty("run_id").GetString());
        b.RootElement.GetProperty("cases").GetInt32().Should().Be(5);
        b.RootElement.GetProperty("passed").GetInt32().Should().Be(5);
        b.RootElement.GetProperty("parent_run_id").GetString().Should().Be(a.RootElement.GetProperty("run_id").GetString());
        (server.RequestCount - requestsBefore).Should().Be(5);
    }

    [Fact]
    public async Task AProviderThatAlwaysFailsIsRecordedPerCaseAndTheRunStillCompletes()
    {
        await using var server = await LoopbackOpenAiServer.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            server.EnqueueFault(LoopbackFault.MalformedBody());
        }

        using var workspace = Workspace(server, cases: 10, concurrency: 2);

        var result = await CliProcess.RunAsync(workspace.Path, "run", "experiments/remote.yaml", "--json");

        using var json = JsonDocument.Parse(result.Stdout);
        json.RootElement.GetProperty("status").GetString().Should().Be("completed", result.ToString());
        json.RootElement.GetProperty("errored").GetInt32().Should().Be(10);
        json.RootElement.GetProperty("error_kinds").GetProperty("malformed_response").GetInt32().Should().Be(10);
    }

    private static async Task InterruptWhenAsync(Process process, Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            await Task.Delay(10);
        }

        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static async Task KillWhenAsync(Process process, Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            await Task.Delay(10);
        }

        using var kill = Process.Start("kill", ["-KILL", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static TempWorkspace Workspace(LoopbackOpenAiServer server, int cases, int concurrency)
    {
        var workspace = new TempWorkspace();
        var lines = new StringBuilder();
        for (var i = 0; i < cases; i++)
        {
            lines.Append("{\"id\": \"c").Append(i).Append("\", \"input\": \"message ").Append(i).Append("\", \"expected\": \"alpha\"}\n");
        }

        workspace.Write("datasets/remote.jsonl", lines.ToString());
        workspace.Write("experiments/remote.yaml", $"""
            name: remote
            dataset: remote
            prompt:
              user: "{"{{input}}"}"
            model:
              provider: openai
              name: loopback-model
              base_url: {server.OpenAiBaseUrl}
              max_retries: 0
              timeout_seconds: 30
            scorers: [exact-match]
            concurrency: {concurrency}

            """);
        return workspace;
    }
}
