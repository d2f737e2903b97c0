using System.Net;

namespace EvalLoop.Service.Tests;

public sealed class JobHistoryTests
{
    [Fact]
    public async Task ShowsAFailedJobWithItsMessageAndKeepsServing()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync(schedule: "0 0 2 * * ?");
        File.Delete(Path.Combine(host.Root, "datasets", "tickets.jsonl"));

        // Act
        (await host.Client.PostAsync($"/api/schedules/{ServiceHost.Experiment}/trigger", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        // Assert
        var history = await ServiceHost.EventuallyAsync(
            async () => (await host.GetJsonAsync($"/api/schedules/{ServiceHost.Experiment}/history")).AsArray(),
            h => h.Count > 0,
            "the failed job in the history");
        var failed = history.Should().ContainSingle().Subject!;
        failed["outcome"]!.GetValue<string>().Should().Be("failed");
        failed["trigger"]!.GetValue<string>().Should().Be("manual");
        failed["error"]!.GetValue<string>().Should().Contain("dataset not found");
        failed["finished_at"]!.GetValue<DateTimeOffset>().Should().BeOnOrAfter(failed["started_at"]!.GetValue<DateTimeOffset>());
        var page = await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync();
        page.Should().Contain("Last runs").And.Contain(">failed</span>").And.Contain("dataset not found");
        (await host.Client.GetAsync("/api/experiments")).StatusCode.Should().Be(HttpStatusCode.OK, "the host keeps serving");
        (await host.GetJsonAsync("/api/schedules")).AsArray().Single()!["state"]!.GetValue<string>().Should().Be("Normal", "a failed job does not break its schedule");
        (await host.Client.GetAsync("/api/schedules/no-such-experiment/history")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EscapesAFailedJobsMessageOnTheSchedulesPage()
    {
        // Arrange: the dataset's name, and so the failure message, carries markup.
        const string Dataset = "x<img src=x onerror=alert(1)>";
        await using var host = await ServiceHost.CreateAsync();
        File.Copy(Path.Combine(host.Root, "datasets", "tickets.jsonl"), Path.Combine(host.Root, "datasets", Dataset + ".jsonl"));
        await host.WriteAsync("experiments/hostile.yaml", ServiceHost.ExperimentYaml("hostile", dataset: $"\"{Dataset}\""));
        await host.RestartAsync();
        File.Delete(Path.Combine(host.Root, "datasets", Dataset + ".jsonl"));

        // Act
        (await host.Client.PostAsync("/api/experiments/hostile/run", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var history = await ServiceHost.EventuallyAsync(
            async () => (await host.GetJsonAsync("/api/schedules/hostile/history")).AsArray(),
            h => h.Count > 0,
            "the failed job in the history");

        // Assert
        history.Single()!["error"]!.GetValue<string>().Should().Contain(Dataset);
        var page = await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync();
        page.Should().Contain("&lt;img").And.NotContain("<img");
    }

    [Fact]
    public async Task RecordsASucceededJobWithItsRun()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();

        // Act
        var runId = await host.RunAsync();

        // Assert
        var entry = (await host.GetJsonAsync($"/api/schedules/{ServiceHost.Experiment}/history")).AsArray().Should().ContainSingle().Subject!;
        entry["outcome"]!.GetValue<string>().Should().Be("succeeded");
        entry["run_id"]!.GetValue<string>().Should().Be(runId);
        entry["error"].Should().BeNull();
    }
}
