using System.Net;
using System.Text.RegularExpressions;

namespace EvalLoop.Service.Tests;

public sealed partial class UiTests
{
    [Fact]
    public async Task EscapesAMaliciousSuggestionAndLetsNoScriptRun()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "<script>alert(1)</script>\n", "<script>alert('title')</script><img src=x onerror=alert(2)>");

        var inbox = await host.Client.GetAsync("/suggestions");
        var detail = await host.Client.GetAsync($"/suggestions/{suggestion.Id}");
        var inboxHtml = await inbox.Content.ReadAsStringAsync();
        var detailHtml = await detail.Content.ReadAsStringAsync();

        inbox.StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var html in new[] { inboxHtml, detailHtml })
        {
            html.Should().NotContain("<script").And.NotContain("<img").And.Contain("&lt;script&gt;alert(");
        }

        detail.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
    }

    [Fact]
    public async Task ApprovesFromTheFormAndRefusesAFormWithoutItsAntiForgeryToken()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        var page = await (await host.Client.GetAsync($"/suggestions/{suggestion.Id}")).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(page);

        var forged = await host.Client.PostAsync($"/suggestions/{suggestion.Id}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["by"] = "mallory" }));
        var approved = await host.Client.PostAsync($"/suggestions/{suggestion.Id}/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["by"] = "carol",
        }));

        token.Success.Should().BeTrue();
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var after = await (await host.Client.GetAsync($"/suggestions/{suggestion.Id}")).Content.ReadAsStringAsync();
        after.Should().Contain("approved").And.Contain("by carol").And.Contain("new version");
    }

    [Fact]
    public async Task ShowsExperimentsRunsAndSchedules()
    {
        await using var host = await ServiceHost.StartAsync(schedule: "0 0 2 * * ?");
        var runId = await host.RunAsync();

        var home = await (await host.Client.GetAsync("/")).Content.ReadAsStringAsync();
        var runs = await (await host.Client.GetAsync("/runs")).Content.ReadAsStringAsync();
        var schedules = await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync();

        home.Should().Contain(ServiceHost.Experiment).And.Contain("Route each ticket").And.Contain(runId);
        runs.Should().Contain($"/runs/{runId}/report");
        schedules.Should().Contain("0 0 2 * * ?").And.Contain("Run now").And.Contain("Pause");
    }

    [Fact]
    public async Task ListsOnlyUsersRunsUntilAskedForInternalOnesAndNeverLinksOneAsTheLatestRun()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var (draftRunId, verifyRunId) = await host.SaveInternalRunsAsync(runId);

        // Act
        var runs = await (await host.Client.GetAsync("/runs")).Content.ReadAsStringAsync();
        var all = await (await host.Client.GetAsync("/runs?all=true")).Content.ReadAsStringAsync();
        var home = await (await host.Client.GetAsync("/")).Content.ReadAsStringAsync();

        // Assert
        runs.Should().Contain($"/runs/{runId}\"").And.NotContain(draftRunId).And.NotContain(verifyRunId).And.NotContain("goal:routing");
        runs.Should().Contain("href=\"/runs?all=true\"", "the page offers the internal runs");
        all.Should().Contain($"/runs/{runId}\"").And.Contain($"/runs/{draftRunId}\"").And.Contain($"/runs/{verifyRunId}\"").And.Contain("goal:routing").And.Contain("verify-baseline");
        home.Should().Contain(runId).And.NotContain(verifyRunId);
    }

    [Fact]
    public async Task PausesAndResumesAScheduleFromItsFormsAndRefusesAPostWithoutTheAntiForgeryToken()
    {
        await using var host = await ServiceHost.StartAsync(schedule: "0 0 2 * * ?");
        var path = $"/schedules/{ServiceHost.Experiment}";
        var token = await FormTokenAsync(host, "/schedules");

        var forged = await host.Client.PostAsync(path + "/pause", new FormUrlEncodedContent(new Dictionary<string, string>()));
        var stateAfterForged = await ScheduleStateAsync(host);
        var paused = await host.Client.PostAsync(path + "/pause", token);
        var stateAfterPause = await ScheduleStateAsync(host);
        var schedulesPage = await (await host.Client.GetAsync("/schedules")).Content.ReadAsStringAsync();
        var resumed = await host.Client.PostAsync(path + "/resume", await FormTokenAsync(host, "/schedules"));
        var stateAfterResume = await ScheduleStateAsync(host);

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        stateAfterForged.Should().Be("Normal", "the refused post changed nothing");
        paused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        paused.Headers.Location!.OriginalString.Should().Be("/schedules");
        stateAfterPause.Should().Be("Paused");
        schedulesPage.Should().Contain($"action=\"{path}/resume\"", "a paused schedule offers Resume");
        resumed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        stateAfterResume.Should().Be("Normal");
    }

    [Fact]
    public async Task TriggersARunFromTheRunNowFormAndRefusesItWithoutTheAntiForgeryToken()
    {
        await using var host = await ServiceHost.StartAsync(schedule: "0 0 2 * * ?");
        var path = $"/schedules/{ServiceHost.Experiment}/trigger";

        var forged = await host.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" }));
        var triggered = await host.Client.PostAsync(path, await FormTokenAsync(host, "/schedules"));

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        triggered.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await host.GetJsonAsync("/api/runs")).AsArray().Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await host.GetJsonAsync("/api/runs")).AsArray().Should().NotBeEmpty("the form queued a run");
    }

    /// <summary>The anti-forgery field of the first form on <paramref name="page"/>, with <paramref name="fields"/>, as a form body.</summary>
    internal static async Task<FormUrlEncodedContent> FormTokenAsync(ServiceHost host, string page, IReadOnlyDictionary<string, string>? fields = null)
    {
        var html = await (await host.Client.GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue("every form carries the anti-forgery token");
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>()) { [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value) };
        return new FormUrlEncodedContent(form);
    }

    private static async Task<string> ScheduleStateAsync(ServiceHost host) =>
        (await host.GetJsonAsync("/api/schedules")).AsArray().Single()!["state"]!.GetValue<string>();

    [GeneratedRegex("name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
