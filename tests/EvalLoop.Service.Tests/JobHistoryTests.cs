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
