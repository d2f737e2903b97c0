using System.Text.RegularExpressions;
using EvalLoop.Core.Suggestions;
using EvalLoop.Reporting.BrowserTests;
using Microsoft.Playwright;

namespace EvalLoop.Service.BrowserTests;

/// <summary>The suggestions inbox as a reviewer uses it: headless Chromium against the real host.</summary>
public sealed partial class InboxInBrowserTests(ChromiumFixture chromium, SampleServiceFixture service)
    : IClassFixture<ChromiumFixture>, IClassFixture<SampleServiceFixture>, IAsyncLifetime
{
    private const string ScriptPayload = "<script>alert('inbox')</script>";
    private const string ImagePayload = "<img src=x onerror=alert('inbox')>";

    private readonly List<string> _dialogs = [];
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _requests = [];
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = service.BaseAddress.ToString() });
        _page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        _page.Console += (_, message) =>
        {
            // A failed load is reported by the Response handler with its address (Chromium asks for /favicon.ico on its own).
            if (message.Type is "error" or "warning" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _consoleErrors.Add($"{message.Type}: {message.Text}");
            }
        };
        _page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                _consoleErrors.Add($"{response.Status}: {response.Url}");
            }
        };
        _page.PageError += (_, error) => _consoleErrors.Add("page error: " + error);
        _page.Request += (_, request) => _requests.Add(request.Url);
    }

    public async Task DisposeAsync() => await _page.CloseAsync();

    [Fact]
    public async Task ApprovingASuggestionFromTheInboxShowsItsNewVersionAndTheQueuedRerun()
    {
        var id = service.PendingSuggestionIds[0];

        await _page.GotoAsync("/suggestions");
        await _page.ClickAsync($"a[href='/suggestions/{id}']");
        await _page.WaitForURLAsync($"**/suggestions/{id}");
        var title = await _page.TextContentAsync("h1");
        await _page.ClickAsync("form[action$='/approve'] button[type=submit]");
        await _page.WaitForURLAsync($"**/suggestions/{id}?done=approved");

        var text = await _page.TextContentAsync("main");
        text.Should().Contain("status approved by web");
        var version = NewVersion().Match(text!);
        version.Success.Should().BeTrue("the page names the new version: {0}", text);
        (await _page.Locator("#rerun li.rerun, #rerun li.rerun-queued").CountAsync()).Should().BeGreaterThan(0, "the queued (or started) re-run shows at once: {0}", await _page.TextContentAsync("#rerun"));
        (await _page.Locator("form[action$='/approve']").CountAsync()).Should().Be(0, "a decided suggestion offers no more decisions");
        title.Should().NotBeNullOrEmpty();
        var stored = await service.Services.Suggestions.GetAsync(id);
        stored!.Status.Should().Be(SuggestionStatus.Approved);
        stored.ResultingVersion.Should().Be(version.Groups["version"].Value);

        // The re-run, read from the runs: reload until it is listed, then follow its link.
        var rerun = _page.Locator($"#rerun li.rerun a[href^='/runs/']");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await rerun.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await _page.ReloadAsync();
        }

        (await rerun.CountAsync()).Should().BeGreaterThan(0, "the re-run's run is listed: {0}", await _page.TextContentAsync("#rerun"));
        var rerunId = await rerun.First.TextContentAsync();
        var run = await service.Services.Runs.GetRunAsync(rerunId!);
        run!.ExperimentName.Should().Be(SampleServiceFixture.Experiment);
        run.StartedAt.Should().BeOnOrAfter(stored.DecidedAt!.Value, "it is the run the approval queued");
        run.Id.Should().NotBe(service.RunId);
        await rerun.First.ClickAsync();
        await _page.WaitForURLAsync($"**/runs/{rerunId}");
        _dialogs.Should().BeEmpty();
        _consoleErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task ASuggestionCarryingScriptPayloadsRunsNothingAndShowsThePayloadsAsText()
    {
        var suggestion = await service.SaveSuggestionAsync(new Suggestion
        {
            Id = "s-payload-" + Guid.NewGuid().ToString("N")[..6],
            RunId = service.RunId,
            ExperimentName = SampleServiceFixture.Experiment,
            Kind = SuggestionKinds.Prompt,
            Title = "Add " + ScriptPayload + ImagePayload,
            Summary = "Summary " + ImagePayload,
            ChangeJson = $$"""{"system": "{{ScriptPayload.Replace("'", "\\u0027", StringComparison.Ordinal)}}"}""",
            CreatedAt = DateTimeOffset.UtcNow,
        });

        await _page.GotoAsync("/suggestions");
        var link = _page.Locator($"a[href='/suggestions/{suggestion.Id}']");
        (await link.TextContentAsync()).Should().Be(suggestion.Title, "the inbox shows the title as text");
        await link.ClickAsync();
        await _page.WaitForURLAsync($"**/suggestions/{suggestion.Id}");

        (await _page.TextContentAsync("h1")).Should().Be(suggestion.Title);
        (await _page.Locator("pre").First.TextContentAsync()).Should().Be(suggestion.Summary);
        (await _page.TextContentAsync("main")).Should().Contain(ScriptPayload);
        (await _page.EvaluateAsync<int>("document.images.length")).Should().Be(0, "the <img> payloads are text, not elements");
        (await _page.EvaluateAsync<int>("document.scripts.length")).Should().Be(0, "the page has no script at all");
        _dialogs.Should().BeEmpty("no alert() from the suggestion may run");
        _consoleErrors.Should().BeEmpty();
        _requests.Should().NotContain(u => u.EndsWith("/x", StringComparison.Ordinal), "an <img src=x> element would have requested x");
    }

    [Fact]
    public async Task TheGoalPageDrawsItsTrendChartsUnderTheContentSecurityPolicy()
    {
        await _page.GotoAsync("/goals");
        await _page.ClickAsync("a[href='/goals/banking77-routing']");
        await _page.WaitForURLAsync("**/goals/banking77-routing");

        var charts = _page.Locator("figure.trend svg");
        (await charts.CountAsync()).Should().Be(2, "the sample goal has two covered requirements, each on one experiment");
        var box = await charts.First.BoundingBoxAsync();
        box!.Width.Should().BeGreaterThan(100, "the inline SVG is drawn, not blocked");
        (await _page.Locator("#requirements .status-uncovered").CountAsync()).Should().Be(1);
        // The latest run: the loop's, or the re-run an approval in another test queued.
        var latest = await _page.Locator("#requirements a[href^='/runs/']").First.TextContentAsync();
        (await service.Client.GetAsync($"/api/runs/{latest}")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await _page.EvaluateAsync<int>("document.scripts.length")).Should().Be(0);
        _consoleErrors.Should().BeEmpty("a CSP violation would be reported here");
    }

    [Fact]
    public async Task TheRunPageLeadsToItsFailureClustersAndToTheDiffReportOfTwoRuns()
    {
        await _page.GotoAsync($"/runs/{service.RunId}");
        await _page.ClickAsync($"a[href='/runs/{service.RunId}/clusters']");
        await _page.WaitForURLAsync($"**/runs/{service.RunId}/clusters");
        (await _page.Locator("section.cluster").CountAsync()).Should().BeGreaterThan(0, "the loop analysed the run");
        (await _page.Locator("section.cluster table.representatives tr").CountAsync()).Should().BeGreaterThan(1);

        await _page.GotoAsync("/compare");
        var a = await _page.Locator("select[name=a]").InputValueAsync();
        var b = await _page.Locator("select[name=b]").InputValueAsync();
        await _page.ClickAsync("#compare-form button[type=submit]");
        await _page.WaitForURLAsync(new Regex("/compare\\?a="));

        a.Should().NotBe(b, "the picker proposes the two latest runs");
        (await _page.TextContentAsync("body")).Should().Contain(a).And.Contain(b);
        _dialogs.Should().BeEmpty();
        _consoleErrors.Should().BeEmpty("the diff report runs under its own policy without violations");
    }

    [GeneratedRegex(@"new version (?<version>\S+) \(")]
    private static partial Regex NewVersion();
}
