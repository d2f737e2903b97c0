using System.Text;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Tests;

public sealed class ResumeTests
{
    private const string Bulk = "bulk";
    private const int Cases = 30;

    [Fact]
    public async Task ResumesAnInterruptedRunAtStartWithExactlyTheMissingCases()
    {
        // Arrange: a run of 30 cases interrupted after a few, as when the host is stopped mid-run.
        await using var host = await ServiceHost.CreateAsync();
        await WriteBulkExperimentAsync(host);
        var (runId, before) = await InterruptedRunAsync(host.Root);
        before.Count.Should().BeInRange(1, Cases - 1, "the run was interrupted part-way");

        // Act
        await host.RestartAsync();

        // Assert
        var run = await ServiceHost.EventuallyAsync(
            () => host.GetJsonAsync($"/api/runs/{runId}"),
            r => r["run"]!["status"]!.GetValue<string>() == RunStatus.Completed,
            "the interrupted run to be resumed and completed");
        run["summary"]!["results"]!.GetValue<int>().Should().Be(Cases);
        var after = await ResultsAsync(host.Services, runId);
        after.Should().HaveCount(Cases);
        after.Where(r => before.ContainsKey(r.Key)).ToDictionary().Should().BeEquivalentTo(before, "the results stored before the interruption are kept, not executed again");
        (await host.GetJsonAsync($"/api/runs?experiment={Bulk}")).AsArray().Should().ContainSingle("the run was resumed, not started anew");
        var history = await ServiceHost.EventuallyAsync(
            async () => (await host.GetJsonAsync($"/api/schedules/{Bulk}/history")).AsArray(),
            h => h.Count > 0,
            "the resume in the job history");
        history.Single()!["trigger"]!.GetValue<string>().Should().Be("resume");
        history.Single()!["outcome"]!.GetValue<string>().Should().Be("succeeded");
        history.Single()!["run_id"]!.GetValue<string>().Should().Be(runId);
    }

    [Fact]
    public async Task LeavesAnInterruptedRunAloneWithResumeOff()
    {
        // Arrange
        await using var host = await ServiceHost.CreateAsync(configure: o => o with { ResumeInterrupted = false });
        await WriteBulkExperimentAsync(host);
        var (runId, before) = await InterruptedRunAsync(host.Root);

        // Act: the host starts, and a job of the same experiment runs to completion after it.
        await host.RestartAsync();
        var newRun = await host.RunAsync(Bulk);

        // Assert
        newRun.Should().NotBe(runId);
        (await host.GetJsonAsync($"/api/runs/{runId}"))["run"]!["status"]!.GetValue<string>().Should().Be(RunStatus.Interrupted);
        (await ResultsAsync(host.Services, runId)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task SkipsARunAnotherProcessIsExecutingAndRecordsWhy()
    {
        // Arrange: an interrupted run whose lock another executor holds (as `evalloop run --resume` would).
        await using var host = await ServiceHost.CreateAsync();
        await WriteBulkExperimentAsync(host);
        var (runId, before) = await InterruptedRunAsync(host.Root);
        using var otherProcess = new FileRunLock(Core.Workspace.WorkspaceLayout.For(host.Root).LocksDirectory).TryAcquire(runId);
        otherProcess.Should().NotBeNull();

        // Act
        await host.RestartAsync();

        // Assert
        var history = await ServiceHost.EventuallyAsync(
            async () => (await host.GetJsonAsync($"/api/schedules/{Bulk}/history")).AsArray(),
            h => h.Count > 0,
            "the skipped resume in the job history");
        history.Single()!["outcome"]!.GetValue<string>().Should().Be("skipped");
        history.Single()!["error"]!.GetValue<string>().Should().Contain("another process");
        (await host.GetJsonAsync($"/api/runs/{runId}"))["run"]!["status"]!.GetValue<string>().Should().Be(RunStatus.Interrupted);
        (await ResultsAsync(host.Services, runId)).Should().BeEquivalentTo(before, "nothing was executed twice");
    }

    private static async Task WriteBulkExperimentAsync(ServiceHost host)
    {
        var lines = new StringBuilder();
        string[] labels = ["billing", "bug", "feature_request"];
        for (var i = 0; i < Cases; i++)
        {
            lines.Append($$"""{"id": "b{{i}}", "input": "ticket number {{i}} about {{labels[i % 3]}}", "expected": "{{labels[i % 3]}}"}""").Append('\n');
        }

        await host.WriteAsync("datasets/bulk.jsonl", lines.ToString());
        await host.WriteAsync($"experiments/{Bulk}.yaml", ServiceHost.ExperimentYaml(Bulk, dataset: Bulk));
    }

    /// <summary>Starts a run of the bulk experiment one case at a time and cancels it after three results.</summary>
    private static async Task<(string RunId, Dictionary<(string, int), DateTimeOffset> Results)> InterruptedRunAsync(string root)
    {
        using var services = EvalLoopServices.Open(root);
        using var stop = new CancellationTokenSource();
        var definition = await services.Experiments.LoadAsync(Bulk);
        var dataset = await services.Snapshots.SnapshotAsync(definition.Dataset);
        var outcome = await services.Runner.StartAsync(definition, dataset, new RunOptions { Concurrency = 1 }, new CancelAfter(3, stop), stop.Token);
        outcome.Run.Status.Should().Be(RunStatus.Interrupted);
        return (outcome.Run.Id, await ResultsAsync(services, outcome.Run.Id));
    }

    private static async Task<Dictionary<(string, int), DateTimeOffset>> ResultsAsync(EvalLoopServices services, string runId)
    {
        var results = new Dictionary<(string, int), DateTimeOffset>();
        await foreach (var result in services.Runs.ReadAsync(runId))
        {
            results[(result.CaseId, result.Trial)] = result.CompletedAt;
        }

        return results;
    }

    /// <summary>Cancels synchronously (unlike <see cref="Progress{T}"/>, which posts) once enough results are done.</summary>
    private sealed class CancelAfter(int results, CancellationTokenSource stop) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            if (value.Completed >= results)
            {
                stop.Cancel();
            }
        }
    }
}
