using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Service;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop serve [--urls URLS] [--token TOKEN] [--on-overlap wait|skip] [--no-resume] [--webhook URL]</c>: the
/// background service in this process: scheduled experiments (Quartz, job store in the workspace database), the web UI
/// and the HTTP API. Loopback only unless a token is given.
/// </summary>
public sealed class ServeCommand : EvalLoopCommand<ServeCommand.Settings>
{
    /// <summary>The environment variable that supplies the token when <c>--token</c> is not given.</summary>
    public const string TokenEnvironmentVariable = "EVALLOOP_TOKEN";

    /// <summary>The environment variable that supplies the regression webhook when <c>--webhook</c> is not given.</summary>
    public const string WebhookEnvironmentVariable = "EVALLOOP_WEBHOOK";

    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on, separated by ';'. Default: http://127.0.0.1:5080. A non-loopback address needs a token.")]
        public string Urls { get; init; } = "http://127.0.0.1:5080";

        [CommandOption("--token <TOKEN>")]
        [Description("Require this token on every request (API: Authorization: Bearer TOKEN; browser: asked once). Default: $EVALLOOP_TOKEN.")]
        public string? Token { get; init; }

        [CommandOption("--no-suggest")]
        [Description("Jobs run, analyze and report, but do not propose suggestions.")]
        public bool NoSuggest { get; init; }

        [CommandOption("--on-overlap <POLICY>")]
        [Description("When a trigger fires while its experiment still runs: wait (default) or skip. An experiment's on_overlap: key wins.")]
        public string OnOverlap { get; init; } = "wait";

        [CommandOption("--no-cache")]
        [Description("Background runs bypass the response cache (neither read nor write): needed to watch a hosted model for drift, since a cached answer never changes.")]
        public bool NoCache { get; init; }

        [CommandOption("--no-resume")]
        [Description("Do not resume, at start, the runs left interrupted when the service last stopped.")]
        public bool NoResume { get; init; }

        [CommandOption("--webhook <URL>")]
        [Description("POST a JSON message here when a run is a regression against its baseline. Default: $EVALLOOP_WEBHOOK.")]
        public string? Webhook { get; init; }

        [CommandOption("--regression-alpha <P>")]
        [Description("A scorer's drop in pass rate is a regression when McNemar's p-value is below this. Default: 0.05.")]
        public double RegressionAlpha { get; init; } = 0.05;

        [CommandOption("--public-url <URL>")]
        [Description("The address people reach the UI at (e.g. through a proxy): the report link in webhook messages uses it, and the service answers to its host name. Default: the first listen address.")]
        public string? PublicUrl { get; init; }

        [CommandOption("--allowed-hosts <HOSTS>")]
        [Description("More host names or addresses the service answers to, separated by ';' or ',' (e.g. the machine's name and address when --urls names one of them); '*' answers to any (needs a token). Other Host headers get 400, against DNS rebinding.")]
        public string? AllowedHosts { get; init; }

        public override ValidationResult Validate() =>
            OnOverlap is "wait" or "skip" ? base.Validate() : ValidationResult.Error($"--on-overlap must be wait or skip; found '{OnOverlap}'");
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var options = new EvalLoopServiceOptions
        {
            Workspace = Path.GetFullPath(settings.Workspace ?? Directory.GetCurrentDirectory()),
            Database = settings.Database,
            Urls = settings.Urls,
            Token = settings.Token ?? Environment.GetEnvironmentVariable(TokenEnvironmentVariable),
            Suggest = !settings.NoSuggest,
            OverlapPolicy = settings.OnOverlap == "skip" ? OverlapPolicy.Skip : OverlapPolicy.Wait,
            ResumeInterrupted = !settings.NoResume,
            UseCache = !settings.NoCache,
            WebhookUrl = settings.Webhook ?? (Environment.GetEnvironmentVariable(WebhookEnvironmentVariable) is { Length: > 0 } webhook ? webhook : null),
            RegressionAlpha = settings.RegressionAlpha,
            PublicUrl = settings.PublicUrl,
            ExtraAllowedHosts = (settings.AllowedHosts ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        var errors = EvalLoopServiceOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", errors));
        }

        await using var app = EvalLoopServiceHost.Build(options);
        await app.StartAsync(cancellationToken);
        foreach (var url in app.Urls)
        {
            Out.MarkupLine($"[grey]EvalLoop is serving[/] {Markup.Escape(options.Workspace)} [grey]at[/] {Markup.Escape(url)}  [grey](API: {Markup.Escape(url)}/openapi/v1.json; Ctrl-C stops)[/]");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop cleanly below; running jobs are cancelled and their runs kept as interrupted.
        }

        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Success;
    }
}
