using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using EvalLoop.Core.Runs;
using EvalLoop.Service.Regressions;
using EvalLoop.TestUtilities;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Tests;

/// <summary>
/// The offline model answers a query that is identical to a few-shot example's input with that example's output, so
/// the prompt decides exactly which cases pass: the good prompt passes all eight, a bad one fails a chosen few.
/// </summary>
public sealed class RegressionTests
{
    private const string FewShot = "fewshot";
    private const string Drift = "drift";

    private static readonly (string Input, string Label)[] Cases =
    [
        ("charged twice for my plan", "billing"),
        ("the app crashes on launch", "bug"),
        ("please add a dark mode", "feature_request"),
        ("refund my last invoice", "billing"),
        ("error 500 when uploading", "bug"),
        ("support single sign-on", "feature_request"),
        ("wrong amount on my receipt", "billing"),
        ("screen freezes when saving", "bug"),
    ];

    [Fact]
    public async Task FlagsASignificantDropShowsItAndPostsTheWebhook()
    {
        // Arrange
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var host = await FewShotHostAsync(o => o with { WebhookUrl = webhook.Url });
        var baseline = await host.RunAsync(FewShot);

        // Act: every example now teaches a wrong label.
        await WritePromptAsync(host, wrong: Cases.Length);
        var worse = await host.RunAsync(FewShot);

        // Assert
        var baselineRun = await host.GetJsonAsync($"/api/runs/{baseline}");
        baselineRun["summary"]!["passed"]!.GetValue<int>().Should().Be(Cases.Length, "the good prompt passes every case");
        baselineRun["regression"].Should().BeNull();
        var run = await host.GetJsonAsync($"/api/runs/{worse}");
        run["summary"]!["passed"]!.GetValue<int>().Should().Be(0);
        var regression = run["regression"]!;
        regression["baseline_run_id"]!.GetValue<string>().Should().Be(baseline);
        var scorer = regression["scorers"]!.AsArray().Should().ContainSingle().Subject!;
        scorer["scorer"]!.GetValue<string>().Should().Be("exact-match");
        scorer["baseline_pass_rate"]!.GetValue<double>().Should().Be(1.0);
        scorer["pass_rate"]!.GetValue<double>().Should().Be(0.0);
        scorer["p_value"]!.GetValue<double>().Should().BeApproximately(2.0 / 256, 1e-9, "exact McNemar: 8 broken, 0 fixed");
        run["run"]!["regression"]!["run_id"]!.GetValue<string>().Should().Be(worse);
        var rows = (await host.GetJsonAsync($"/api/runs?experiment={FewShot}")).AsArray();
        rows.Single(r => r!["id"]!.GetValue<string>() == worse)!["regression"].Should().NotBeNull();
        rows.Single(r => r!["id"]!.GetValue<string>() == baseline)!["regression"].Should().BeNull();
        (await host.GetJsonAsync("/api/regressions")).AsArray().Should().ContainSingle().Which!["run_id"]!.GetValue<string>().Should().Be(worse);

        var message = await webhook.NextAsync();
        message["event"]!.GetValue<string>().Should().Be("regression");
        message["experiment"]!.GetValue<string>().Should().Be(FewShot);
        message["run_id"]!.GetValue<string>().Should().Be(worse);
        message["baseline_run_id"]!.GetValue<string>().Should().Be(baseline);
        var drop = message["scorers"]!.AsArray().Should().ContainSingle().Subject!;
        drop["scorer"]!.GetValue<string>().Should().Be("exact-match");
        drop["baseline_pass_rate"]!.GetValue<double>().Should().Be(1.0);
        drop["pass_rate"]!.GetValue<double>().Should().Be(0.0);
        drop["p_value"]!.GetValue<double>().Should().BeApproximately(2.0 / 256, 1e-9);
        message["report_url"]!.GetValue<string>().Should().StartWith("http://127.0.0.1:").And.EndWith($"/runs/{worse}/report");

        var list = await (await host.Client.GetAsync($"/runs?experiment={FewShot}")).Content.ReadAsStringAsync();
        list.Split("<tr>").Should().ContainSingle(row => row.Contains("<strong class=\"error\">regression</strong>", StringComparison.Ordinal))
            .Which.Should().Contain(worse);
        var detail = await (await host.Client.GetAsync($"/runs/{worse}")).Content.ReadAsStringAsync();
        detail.Should().Contain("<strong>Regression</strong> against baseline").And.Contain(baseline);
    }

    [Fact]
    public async Task AFailingWebhookDoesNotFailTheJob()
    {
        // Arrange
        await using var webhook = await WebhookReceiver.StartAsync(status: StatusCodes.Status503ServiceUnavailable);
        await using var host = await FewShotHostAsync(o => o with { WebhookUrl = webhook.Url });
        await host.RunAsync(FewShot);
        await WritePromptAsync(host, wrong: Cases.Length);

        // Act
        var worse = await host.RunAsync(FewShot);

        // Assert
        (await webhook.NextAsync())["run_id"]!.GetValue<string>().Should().Be(worse, "the webhook was called");
        var history = (await host.GetJsonAsync($"/api/schedules/{FewShot}/history")).AsArray();
        history[0]!["outcome"]!.GetValue<string>().Should().Be("succeeded");
        history[0]!["run_id"]!.GetValue<string>().Should().Be(worse);
        (await host.GetJsonAsync($"/api/runs/{worse}"))["regression"].Should().NotBeNull();
        (await host.Client.GetAsync("/api/regressions")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the host keeps serving");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailedWebhookIsLoggedWithItsHostButNeverItsUrl(bool answering)
    {
        // Arrange: a URL with secrets in its path and query, at a receiver answering 500 or at a port nothing listens on.
        const string PathSecret = "path-secret-7f3a9c";
        const string QuerySecret = "query-secret-b81e2d";
        await using var webhook = await WebhookReceiver.StartAsync(status: StatusCodes.Status500InternalServerError);
        var url = new UriBuilder(webhook.Url) { Path = $"/hook/{PathSecret}", Query = $"token={QuerySecret}" };
        if (!answering)
        {
            url.Port = FreePort();
        }

        var logs = new CapturingLoggerProvider();
        await using var host = await FewShotHostAsync(o => o with { WebhookUrl = url.Uri.ToString() }, logs.AddTo);
        await host.RunAsync(FewShot);
        await WritePromptAsync(host, wrong: Cases.Length);

        // Act
        var worse = await host.RunAsync(FewShot);

        // Assert
        if (answering)
        {
            (await webhook.NextAsync())["run_id"]!.GetValue<string>().Should().Be(worse, "the webhook was called");
        }

        var entries = logs.Entries;
        entries.Should().NotBeEmpty();
        entries.Should().NotContain(e => e.Contains(PathSecret) || e.Contains(QuerySecret), "the webhook URL may hold a secret");
        entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Category == typeof(RegressionWebhook).FullName
            && e.Message.Contains(worse, StringComparison.Ordinal) && e.Message.Contains("127.0.0.1", StringComparison.Ordinal), "the failure is logged with the host");
    }

    /// <summary>A loopback port nothing listens on (one just released by the OS).</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task ListsEveryScorerOfAFlaggedRunHoweverMany()
    {
        // Arrange: a run flagged on more scorers than the list reads per run to find the newest runs.
        await using var host = await ServiceHost.StartAsync();
        var baseline = await host.RunAsync();
        var older = await host.RunAsync();
        var newer = await host.RunAsync();
        var at = DateTimeOffset.UtcNow;
        await host.Services.Regressions.SaveAsync([new RunRegression(older, baseline, ServiceHost.Experiment, "exact-match", 1.0, 0.5, 0.01, 6, at)]);
        await host.Services.Regressions.SaveAsync([.. Enumerable.Range(0, 60).Select(i => new RunRegression(newer, baseline, ServiceHost.Experiment, $"scorer-{i:D2}", 1.0, 0.5, 0.01, 6, at.AddMinutes(1)))]);

        // Act
        var one = (await host.GetJsonAsync("/api/regressions?limit=1")).AsArray();
        var all = (await host.GetJsonAsync("/api/regressions")).AsArray();
        var listed = (await host.GetJsonAsync($"/api/runs?experiment={ServiceHost.Experiment}")).AsArray();

        // Assert
        one.Should().ContainSingle().Which!["scorers"]!.AsArray().Should().HaveCount(60);
        all.Select(r => r!["run_id"]!.GetValue<string>()).Should().Equal(newer, older);
        all[0]!["scorers"]!.AsArray().Should().HaveCount(60);
        listed.Single(r => r!["id"]!.GetValue<string>() == newer)!["regression"]!["scorers"]!.AsArray().Should().HaveCount(60);
        listed.Single(r => r!["id"]!.GetValue<string>() == older)!["regression"]!["scorers"]!.AsArray().Should().ContainSingle();
        listed.Single(r => r!["id"]!.GetValue<string>() == baseline)!["regression"].Should().BeNull();
    }

    [Fact]
    public async Task AFlaggedRunIsNotTheBaselineOfTheNextOne()
    {
        // Arrange
        await using var host = await FewShotHostAsync();
        var baseline = await host.RunAsync(FewShot);
        await WritePromptAsync(host, wrong: Cases.Length);
        var flagged = await host.RunAsync(FewShot);

        // Act: as bad as the flagged run, so only a comparison with the good run finds a drop.
        var again = await host.RunAsync(FewShot);

        // Assert
        (await host.GetJsonAsync($"/api/runs/{flagged}"))["regression"].Should().NotBeNull();
        (await host.GetJsonAsync($"/api/runs/{again}"))["regression"]!["baseline_run_id"]!.GetValue<string>().Should().Be(baseline);
    }

    [Fact]
    public async Task ASlowDeclineOfOnePromptVersionIsMeasuredFromItsFirstRun()
    {
        // Arrange: the same prompt version throughout, against a model whose answers get worse run by run (as a hosted
        // model may drift): each step alone is not significant, the whole decline is.
        await using var model = await LoopbackOpenAiServer.StartAsync();
        var wrong = 0;
        model.Responder = request =>
        {
            var index = Array.FindIndex(Cases, c => request.LastUserMessage.Contains(c.Input, StringComparison.Ordinal));
            return index >= 0 && index < Volatile.Read(ref wrong) ? "wrong" : Cases[Math.Max(index, 0)].Label;
        };
        await using var host = await FewShotHostAsync(o => o with { UseCache = false });
        await host.WriteAsync($"experiments/{Drift}.yaml", $"""
            name: {Drift}
            dataset: fewshot
            prompt:
              system: "Classify the support ticket: billing, bug or feature_request."
              user: "{"{{input}}"}"
            model:
              provider: openai
              name: drifting-model
              base_url: {model.OpenAiBaseUrl}
              max_retries: 0
            scorers: [exact-match]

            """);
        var first = await host.RunAsync(Drift);
        Volatile.Write(ref wrong, 3);
        var second = await host.RunAsync(Drift);

        // Act: three more cases break; against the second run that is p = 0.25, against the first p = 0.031.
        Volatile.Write(ref wrong, 6);
        var third = await host.RunAsync(Drift);

        // Assert
        (await host.GetJsonAsync($"/api/runs/{second}"))["regression"].Should().BeNull("3 of 8 broken is not significant (p = 0.25)");
        var regression = (await host.GetJsonAsync($"/api/runs/{third}"))["regression"];
        regression.Should().NotBeNull("measured from the version's first run, 6 of 8 cases broke");
        regression!["baseline_run_id"]!.GetValue<string>().Should().Be(first);
    }

    [Fact]
    public async Task DoesNotFlagADropThatIsNotSignificant()
    {
        // Arrange
        await using var host = await FewShotHostAsync();
        var baseline = await host.RunAsync(FewShot);

        // Act: two of eight cases break; McNemar's exact p is 0.5.
        await WritePromptAsync(host, wrong: 2);
        var worse = await host.RunAsync(FewShot);

        // Assert
        var run = await host.GetJsonAsync($"/api/runs/{worse}");
        run["summary"]!["passed"]!.GetValue<int>().Should().Be(Cases.Length - 2, "exactly two cases broke");
        run["regression"].Should().BeNull();
        (await host.GetJsonAsync("/api/regressions")).AsArray().Should().BeEmpty();
        (await host.GetJsonAsync($"/api/runs/{baseline}"))["summary"]!["passed"]!.GetValue<int>().Should().Be(Cases.Length);
    }

    private static async Task<ServiceHost> FewShotHostAsync(Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var host = await ServiceHost.CreateAsync(configure: configure, logging: logging);
        var dataset = new StringBuilder();
        for (var i = 0; i < Cases.Length; i++)
        {
            dataset.Append($$"""{"id": "f{{i}}", "input": "{{Cases[i].Input}}", "expected": "{{Cases[i].Label}}"}""").Append('\n');
        }

        await host.WriteAsync("datasets/fewshot.jsonl", dataset.ToString());
        await WritePromptAsync(host, wrong: 0);
        await host.RestartAsync();
        return host;
    }

    /// <summary>The few-shot experiment whose first <paramref name="wrong"/> examples teach the next label instead of their own.</summary>
    private static Task WritePromptAsync(ServiceHost host, int wrong)
    {
        string[] labels = ["billing", "bug", "feature_request"];
        var examples = new StringBuilder();
        for (var i = 0; i < Cases.Length; i++)
        {
            var label = i < wrong ? labels[(Array.IndexOf(labels, Cases[i].Label) + 1) % labels.Length] : Cases[i].Label;
            examples.Append($"\n    Input: {Cases[i].Input}\n    Output: {label}\n");
        }

        var yaml = $"""
            name: {FewShot}
            dataset: fewshot
            prompt:
              system: |
                Classify the support ticket. Answer with exactly one of:
                - billing
                - bug
                - feature_request
            {examples}
              user: "{"{{input}}"}"
            model:
              provider: offline
            scorers: [exact-match]
            concurrency: 2

            """;
        return host.WriteAsync($"experiments/{FewShot}.yaml", yaml);
    }

    /// <summary>A loopback HTTP listener that keeps the JSON bodies POSTed to it.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<JsonNode> _messages = Channel.CreateUnbounded<JsonNode>();

        private WebhookReceiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = string.Empty;

        public static async Task<WebhookReceiver> StartAsync(int status = StatusCodes.Status200OK)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new WebhookReceiver(app);
            // A catch-all so that a test may put a secret in the path.
            app.MapPost("/hook/{**rest}", async (HttpContext context) =>
            {
                var body = await JsonNode.ParseAsync(context.Request.Body);
                receiver._messages.Writer.TryWrite(body!);
                return Results.StatusCode(status);
            });
            await app.StartAsync();
            receiver.Url = app.Urls.First() + "/hook";
            return receiver;
        }

        public async Task<JsonNode> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await _messages.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
