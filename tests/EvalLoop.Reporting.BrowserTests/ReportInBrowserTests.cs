using EvalLoop.TestUtilities.Builders;
using Microsoft.Playwright;
using static EvalLoop.TestUtilities.Builders.ScriptPayloadScenario;

namespace EvalLoop.Reporting.BrowserTests;

/// <summary>Reports as a reader sees them: opened from disk in headless Chromium.</summary>
public sealed class ReportInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evalloop-browser-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _dialogs = [];
    private readonly List<string> _consoleErrors = [];
    private string _runReport = string.Empty;
    private string _diffReport = string.Empty;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        var (scenario, run) = await CreateAsync();
        var generator = new HtmlReportGenerator(new ReportSources(scenario.Runs, scenario.Runs, scenario.Datasets, scenario.Clusters, scenario.Suggestions));
        _runReport = Path.Combine(_directory, "run.html");
        _diffReport = Path.Combine(_directory, "diff.html");
        await generator.WriteRunReportFileAsync(run.Id, _runReport);
        await generator.WriteComparisonReportFileAsync(EarlierRunId, run.Id, _diffReport);

        _page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        _page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add(message.Text);
            }
        };
        _page.PageError += (_, error) => _consoleErrors.Add(error);
    }

    [Fact]
    public async Task AReportOfScriptPayloadsRunsNothingFromTheDataAndShowsThePayloadsAsText()
    {
        await OpenAsync(_runReport);
        await _page.FillAsync("#case-search", "alert(1)");
        await WaitForMatchingAsync(4, "cases 1-3 output a payload and case 5's metadata holds one");

        _dialogs.Should().BeEmpty("no alert() from the data may run");
        _consoleErrors.Should().BeEmpty("the report's own script runs under its CSP hash, and nothing else tries to");
        (await _page.EvaluateAsync<int>("document.images.length")).Should().Be(0, "the <img> payloads are text, not elements");
        (await _page.EvaluateAsync<int>("document.scripts.length")).Should().Be(3);
        var outputs = await _page.Locator("#case-body tr td:nth-child(5)").AllTextContentsAsync();
        outputs.Should().Contain([ScriptPayload, ImagePayload, ScriptBreakout]);
        (await _page.Locator("#prompt-system").TextContentAsync()).Should().Be(SystemPrompt);
        await _page.ClickAsync("#clusters button[data-show-cluster='0']");
        _dialogs.Should().BeEmpty();
    }

    [Fact]
    public async Task TheCaseTableFiltersByFailureClusterScorerAndTextAndPages()
    {
        await OpenAsync(_runReport);
        (await _page.Locator("#case-body tr").CountAsync()).Should().Be(50, "one page of the default size");
        (await _page.TextContentAsync("#case-count")).Should().Be("Showing 1–50 of 60 matching results (60 in all).");

        await _page.CheckAsync("#case-failed");
        await WaitForMatchingAsync(23);
        (await StatusesAsync()).Should().NotContain("pass");

        await _page.SelectOptionAsync("#case-cluster", "1");
        await WaitForMatchingAsync(3);
        (await CaseIdsAsync()).Should().Equal("case-01", "case-02", "case-03");

        await _page.SelectOptionAsync("#case-cluster", string.Empty);
        await _page.UncheckAsync("#case-failed");
        await _page.SelectOptionAsync("#case-scorer", "0");
        await WaitForMatchingAsync(22, "the errored case has no verdict from the scorer");

        await _page.SelectOptionAsync("#case-scorer", string.Empty);
        await _page.FillAsync("#case-search", "onerror");
        await WaitForMatchingAsync(2);
        (await CaseIdsAsync()).Should().Equal("case-01", "case-02");

        await _page.FillAsync("#case-search", string.Empty);
        await WaitForMatchingAsync(60);
        await _page.ClickAsync("#case-next");
        (await _page.TextContentAsync("#case-count")).Should().StartWith("Showing 51–60 of 60");
        (await _page.Locator("#case-body tr").CountAsync()).Should().Be(10);
    }

    [Fact]
    public async Task TheCaseTableSortsByAColumnBothWays()
    {
        await OpenAsync(_runReport);

        await _page.ClickAsync("#case-table th[data-sort='latency'] button");
        var ascending = await LatenciesAsync();
        await _page.ClickAsync("#case-table th[data-sort='latency'] button");
        var descending = await LatenciesAsync();

        ascending.Should().BeInAscendingOrder().And.HaveCount(50);
        ascending[0].Should().Be(0, "the errored case has no latency");
        descending.Should().BeInDescendingOrder();
        descending[0].Should().Be(80, "case 60 fails with latency 20 + 60");
        (await _page.GetAttributeAsync("#case-table th[data-sort='latency']", "aria-sort")).Should().Be("descending");
    }

    [Fact]
    public async Task ChartsShowTheirTextInTheBrowser()
    {
        await OpenAsync(_runReport);

        var charts = await _page.Locator("figure.chart svg").CountAsync();
        var widths = await _page.EvaluateAsync<double[]>(
            "Array.from(document.querySelectorAll('figure.chart svg')).map(svg => Math.max(0, ...Array.from(svg.querySelectorAll('text')).map(t => t.getBBox().width)))");
        var labels = await _page.Locator("figure.chart svg text").AllTextContentsAsync();

        charts.Should().Be(6);
        widths.Should().HaveCount(6).And.OnlyContain(w => w > 10, "every chart draws text a reader can see");
        labels.Should().Contain(["score", "cases", "pass rate (%)", "run start (UTC)", "failing results", "latency (ms)"]);
        await Expect(_page.Locator("figure.chart svg text", new PageLocatorOptions { HasTextString = "latency (ms)" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheDiffReportOpensWithoutRunningAnythingAndShowsTheCounts()
    {
        await OpenAsync(_diffReport);

        (await _page.TextContentAsync("#fixed-count")).Should().NotBeNullOrEmpty();
        (await _page.Locator("#broken-cases tbody tr").CountAsync()).Should().BeGreaterThan(0);
        (await _page.EvaluateAsync<int>("document.scripts.length")).Should().Be(0);
        (await _page.EvaluateAsync<int>("document.images.length")).Should().Be(0);
        _dialogs.Should().BeEmpty();
        _consoleErrors.Should().BeEmpty();
    }

    public async Task DisposeAsync()
    {
        if (_page is not null)
        {
            await _page.CloseAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task OpenAsync(string path)
    {
        await _page.GotoAsync(new Uri(path).AbsoluteUri);

        // Give anything that might run from the data (an onerror handler, a script) the chance to, before asserting.
        await _page.WaitForLoadStateAsync(LoadState.Load);
        if (await _page.Locator("#case-count").CountAsync() > 0)
        {
            await Expect(_page.Locator("#case-count")).ToHaveAttributeAsync("data-matching", new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        }

        // A look for humans: EVALLOOP_REPORT_SCREENSHOTS=DIR saves each opened report as a full-page PNG.
        if (Environment.GetEnvironmentVariable("EVALLOOP_REPORT_SCREENSHOTS") is { Length: > 0 } screenshots)
        {
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, Path.GetFileNameWithoutExtension(path) + ".png"), FullPage = true });
        }
    }

    /// <summary>
    /// Waits until the table reports <paramref name="count"/> matching rows. Playwright's assertions poll from their own
    /// context; WaitForFunction would evaluate a string in the page, which the report's CSP rightly forbids.
    /// </summary>
    private async Task WaitForMatchingAsync(int count, string because = "")
    {
        try
        {
            await Expect(_page.Locator("#case-count")).ToHaveAttributeAsync(
                "data-matching",
                count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new LocatorAssertionsToHaveAttributeOptions { Timeout = 5000 });
        }
        catch (PlaywrightException)
        {
            throw new Xunit.Sdk.XunitException($"expected {count} matching rows {because}, but the table says: {await _page.TextContentAsync("#case-count")}");
        }
    }

    private async Task<IReadOnlyList<string>> CaseIdsAsync() =>
        (await _page.Locator("#case-body tr td:nth-child(2) div").AllTextContentsAsync()).ToList();

    private async Task<IReadOnlyList<string>> StatusesAsync() =>
        (await _page.Locator("#case-body tr td:nth-child(2) .badge").AllTextContentsAsync()).ToList();

    private async Task<List<double>> LatenciesAsync() =>
        (await _page.Locator("#case-body tr td:nth-last-child(2)").AllTextContentsAsync())
        .Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
