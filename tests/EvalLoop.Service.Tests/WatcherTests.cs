using System.Text.Json.Nodes;

namespace EvalLoop.Service.Tests;

public sealed class WatcherTests
{
    [Fact]
    public async Task ResyncsTheSchedulesWhenAnExperimentFileIsAddedChangedAndDeleted()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync(schedule: "0 0 2 * * ?");

        // Act and assert: added
        await host.WriteAsync("experiments/nightly.yaml", ServiceHost.ExperimentYaml("nightly", schedule: "0 0 3 * * ?"));
        await ScheduleOfAsync(host, "nightly", s => s?["cron"]?.GetValue<string>() == "0 0 3 * * ?", "the new experiment's schedule");

        // changed
        await host.WriteAsync("experiments/nightly.yaml", ServiceHost.ExperimentYaml("nightly", schedule: "0 30 4 * * ?"));
        var changed = await ScheduleOfAsync(host, "nightly", s => s?["cron"]?.GetValue<string>() == "0 30 4 * * ?", "the changed cron");

        // deleted
        File.Delete(Path.Combine(host.Root, "experiments", "nightly.yaml"));
        await ScheduleOfAsync(host, "nightly", s => s is null, "the deleted experiment's schedule to go");

        changed!["state"]!.GetValue<string>().Should().Be("Normal");
        var remaining = (await host.GetJsonAsync("/api/schedules")).AsArray();
        remaining.Should().ContainSingle().Which!["experiment"]!.GetValue<string>().Should().Be(ServiceHost.Experiment, "the other experiment is untouched");
    }

    [Fact]
    public async Task RecordsABrokenExperimentFileAsASyncErrorAndKeepsServing()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();

        // Act
        await host.WriteAsync("experiments/broken.yml", ServiceHost.ExperimentYaml("broken", extra: "on_overlap: <sometimes>"));

        // Assert
        var page = await ServiceHost.EventuallyAsync(
            async () => await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync(),
            html => html.Contains("broken.yml", StringComparison.Ordinal),
            "the sync error on the schedules page");
        page.Should().Contain("on_overlap").And.Contain("must be wait or skip").And.Contain("&lt;sometimes&gt;").And.NotContain("<sometimes>");
        (await host.GetJsonAsync("/api/schedules")).AsArray().Select(s => s!["experiment"]!.GetValue<string>()).Should().Equal(ServiceHost.Experiment);
    }

    private static Task<JsonNode?> ScheduleOfAsync(ServiceHost host, string experiment, Func<JsonNode?, bool> done, string what) =>
        ServiceHost.EventuallyAsync(
            async () => (await host.GetJsonAsync("/api/schedules")).AsArray().FirstOrDefault(s => s!["experiment"]!.GetValue<string>() == experiment),
            done,
            what);
}
