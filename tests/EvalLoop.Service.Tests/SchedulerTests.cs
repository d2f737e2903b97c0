using System.Net;

namespace EvalLoop.Service.Tests;

public sealed class SchedulerTests
{
    private const string Cron = "0 0 2 * * ?";

    [Fact]
    public async Task SyncsTheCronScheduleFromTheExperimentFile()
    {
        await using var host = await ServiceHost.StartAsync(schedule: Cron);

        var schedule = (await host.GetJsonAsync("/api/schedules")).AsArray().Should().ContainSingle().Subject!;

        schedule["experiment"]!.GetValue<string>().Should().Be(ServiceHost.Experiment);
        schedule["cron"]!.GetValue<string>().Should().Be(Cron);
        schedule["state"]!.GetValue<string>().Should().Be("Normal");
        schedule["next_fire_time"]!.GetValue<DateTimeOffset>().Should().BeAfter(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task KeepsTheScheduleAndItsPausedStateAcrossARestart()
    {
        await using var host = await ServiceHost.StartAsync(schedule: Cron);
        (await host.Client.PostAsync($"/api/schedules/{ServiceHost.Experiment}/pause", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = (await host.GetJsonAsync("/api/schedules")).AsArray().Single()!;

        await host.RestartAsync();

        var after = (await host.GetJsonAsync("/api/schedules")).AsArray().Single()!;
        after["state"]!.GetValue<string>().Should().Be("Paused");
        after["cron"]!.GetValue<string>().Should().Be(Cron);
        after["next_fire_time"]!.GetValue<DateTimeOffset>().Should().Be(before["next_fire_time"]!.GetValue<DateTimeOffset>());
        (await host.Client.PostAsync($"/api/schedules/{ServiceHost.Experiment}/resume", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/schedules")).AsArray().Single()!["state"]!.GetValue<string>().Should().Be("Normal");
    }

    [Fact]
    public async Task ATriggeredJobCompletesARunAfterARestart()
    {
        await using var host = await ServiceHost.StartAsync(schedule: Cron);
        await host.RestartAsync();

        var runId = await host.RunAsync();

        (await host.GetJsonAsync($"/api/runs/{runId}"))["run"]!["status"]!.GetValue<string>().Should().Be("completed");
        (await host.Client.PostAsync("/api/experiments/no-such-experiment/run", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
