using System.Text.Json.Nodes;
using EvalLoop.TestUtilities;

namespace EvalLoop.Service.Tests;

/// <summary>
/// A trigger that fires while its experiment runs: the experiment's model is a loopback server whose answers are held
/// until the test releases them, so the first run is certainly still running when the second trigger fires.
/// </summary>
public sealed class OverlapTests
{
    private const string Slow = "slow";

    [Fact]
    public async Task ASecondTriggerWaitsForTheRunningJobByDefault()
    {
        // Arrange
        await using var model = await LoopbackOpenAiServer.StartAsync();
        using var release = new ManualResetEventSlim();
        model.Responder = _ => release.Wait(TimeSpan.FromSeconds(60)) ? "billing" : "timeout";
        await using var host = await SlowHostAsync(model, extra: null);
        await TriggerAsync(host);
        await ServiceHost.EventuallyAsync(() => Task.FromResult(model.RequestCount), n => n > 0, "the first run to call the model");

        var inFlight = model.RequestCount;

        // Act
        await TriggerAsync(host);

        // Assert: while the first run is held, the queued trigger starts nothing (no model call, no run, no job ended).
        await ServiceHost.HoldsAsync(
            async () => (Requests: model.RequestCount, Runs: (await host.GetJsonAsync($"/api/runs?experiment={Slow}")).AsArray(), History: (await host.GetJsonAsync($"/api/schedules/{Slow}/history")).AsArray()),
            s => s.Requests == inFlight && s.Runs.Count == 1 && s.Runs[0]!["status"]!.GetValue<string>() == "running" && s.History.Count == 0,
            "the second trigger to wait while the first run is still running");
        release.Set();
        var history = await HistoryAsync(host, h => h.Count == 2);
        history.Select(h => h!["outcome"]!.GetValue<string>()).Should().Equal("succeeded", "succeeded");
        var runs = (await host.GetJsonAsync($"/api/runs?experiment={Slow}")).AsArray();
        runs.Should().HaveCount(2);
        var (second, first) = (runs[0]!, runs[1]!);
        second["started_at"]!.GetValue<DateTimeOffset>().Should().BeOnOrAfter(first["finished_at"]!.GetValue<DateTimeOffset>(), "the second run waited for the first to end");
        (await host.GetJsonAsync("/api/schedules")).AsArray().Single(s => s!["experiment"]!.GetValue<string>() == Slow)!["on_overlap"]!.GetValue<string>().Should().Be("wait");
    }

    [Fact]
    public async Task ASecondTriggerIsSkippedAndRecordedWhenTheExperimentSaysSkip()
    {
        // Arrange
        await using var model = await LoopbackOpenAiServer.StartAsync();
        using var release = new ManualResetEventSlim();
        model.Responder = _ => release.Wait(TimeSpan.FromSeconds(60)) ? "billing" : "timeout";
        await using var host = await SlowHostAsync(model, extra: "on_overlap: skip");
        await TriggerAsync(host);
        await ServiceHost.EventuallyAsync(() => Task.FromResult(model.RequestCount), n => n > 0, "the first run to call the model");

        // Act
        await TriggerAsync(host);
        var skipped = await HistoryAsync(host, h => h.Count == 1);
        release.Set();

        // Assert
        skipped.Single()!["outcome"]!.GetValue<string>().Should().Be("skipped");
        skipped.Single()!["run_id"].Should().BeNull();
        skipped.Single()!["error"]!.GetValue<string>().Should().Contain("still in progress");
        var history = await HistoryAsync(host, h => h.Count == 2);
        history.Select(h => h!["outcome"]!.GetValue<string>()).Should().Equal("succeeded", "skipped");
        (await host.GetJsonAsync($"/api/runs?experiment={Slow}")).AsArray().Should().ContainSingle("the skipped trigger ran nothing");
        var page = await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync();
        page.Should().Contain("skipped").And.Contain("still in progress");
    }

    [Fact]
    public async Task TheServiceOptionMakesEveryExperimentSkipUnlessItSaysWait()
    {
        // Arrange
        await using var host = await ServiceHost.CreateAsync(configure: o => o with { OverlapPolicy = OverlapPolicy.Skip });
        await host.WriteAsync("experiments/patient.yaml", ServiceHost.ExperimentYaml("patient", extra: "on_overlap: wait"));

        // Act
        await host.RestartAsync();

        // Assert
        var schedules = (await host.GetJsonAsync("/api/schedules")).AsArray().ToDictionary(s => s!["experiment"]!.GetValue<string>(), s => s!["on_overlap"]!.GetValue<string>());
        schedules.Should().Equal(new Dictionary<string, string> { ["patient"] = "wait", [ServiceHost.Experiment] = "skip" });
    }

    [Fact]
    public async Task AJobCancelledByTheHostStoppingLinksTheRunItInterrupted()
    {
        // Arrange: no resume at the next start, so the interrupted run stays as the stop left it.
        await using var model = await LoopbackOpenAiServer.StartAsync();
        using var release = new ManualResetEventSlim();
        model.Responder = _ => release.Wait(TimeSpan.FromSeconds(60)) ? "billing" : "timeout";
        await using var host = await SlowHostAsync(model, extra: null, o => o with { ResumeInterrupted = false });
        await TriggerAsync(host);
        await ServiceHost.EventuallyAsync(() => Task.FromResult(model.RequestCount), n => n > 0, "the run to call the model");

        // Act
        await host.RestartAsync();
        release.Set();

        // Assert
        var cancelled = (await HistoryAsync(host, h => h.Count == 1)).Single()!;
        cancelled["outcome"]!.GetValue<string>().Should().Be("cancelled");
        var run = (await host.GetJsonAsync($"/api/runs?experiment={Slow}")).AsArray().Should().ContainSingle().Subject!;
        run["status"]!.GetValue<string>().Should().Be("interrupted");
        cancelled["run_id"]!.GetValue<string>().Should().Be(run["id"]!.GetValue<string>(), "the cancelled job links the run it left interrupted");
    }

    private static async Task<ServiceHost> SlowHostAsync(LoopbackOpenAiServer model, string? extra, Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? configure = null)
    {
        var host = await ServiceHost.CreateAsync(configure: configure);
        var settings = $"provider: openai\n  name: loopback-model\n  base_url: {model.OpenAiBaseUrl}\n  max_retries: 0\n  timeout_seconds: 90";
        await host.WriteAsync($"experiments/{Slow}.yaml", ServiceHost.ExperimentYaml(Slow, extra: extra, model: settings).Replace("concurrency: 2", "concurrency: 1", StringComparison.Ordinal));
        await host.RestartAsync();
        return host;
    }

    private static async Task TriggerAsync(ServiceHost host) =>
        (await host.Client.PostAsync($"/api/experiments/{Slow}/run", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);

    private static async Task<JsonArray> HistoryAsync(ServiceHost host, Func<JsonArray, bool> done) =>
        await ServiceHost.EventuallyAsync(async () => (await host.GetJsonAsync($"/api/schedules/{Slow}/history")).AsArray(), done, "the job history", seconds: 60);
}
