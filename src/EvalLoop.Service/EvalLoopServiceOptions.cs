namespace EvalLoop.Service;

/// <summary>How <c>evalloop serve</c> runs: which workspace, where it listens, and the token that guards it.</summary>
public sealed record EvalLoopServiceOptions
{
    /// <summary>The workspace folder (datasets/, scorers/, experiments/).</summary>
    public required string Workspace { get; init; }

    /// <summary>The SQLite database; null for the workspace default (or <c>EVALLOOP_DB</c>).</summary>
    public string? Database { get; init; }

    /// <summary>Semicolon-separated listen addresses; loopback by default. A non-loopback address requires <see cref="Token"/>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>
    /// When set, every request must carry it: API calls as <c>Authorization: Bearer TOKEN</c>, the browser once on
    /// <c>/login</c>, which sets a session cookie. Null only on a loopback binding.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>Whether a scheduled or triggered job proposes and verifies suggestions after the run (on by default).</summary>
    public bool Suggest { get; init; } = true;

    /// <summary>Whether the Quartz scheduler runs (off only for tests of the API alone).</summary>
    public bool Scheduler { get; init; } = true;

    /// <summary>
    /// What a trigger that fires while its experiment still runs does, unless the experiment says (<c>on_overlap:</c>):
    /// wait for the run to end (the default), or skip (recorded as skipped in the job history).
    /// </summary>
    public OverlapPolicy OverlapPolicy { get; init; } = OverlapPolicy.Wait;

    /// <summary>
    /// Whether the host resumes, in the background, the runs left interrupted when it last stopped (on by default; only
    /// with <see cref="Scheduler"/> on, since both are the host's background work).
    /// </summary>
    public bool ResumeInterrupted { get; init; } = true;

    /// <summary>Whether changes to <c>experiments/*.yaml</c> re-sync the schedules while the host runs (on by default).</summary>
    public bool WatchExperiments { get; init; } = true;

    /// <summary>How long the experiments folder must be quiet before a burst of changes triggers one re-sync.</summary>
    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The significance level under which a drop in a scorer's pass rate is a regression (McNemar's test).</summary>
    public double RegressionAlpha { get; init; } = 0.05;

    /// <summary>Where a regression is POSTed as JSON (<c>--webhook</c> or <c>EVALLOOP_WEBHOOK</c>); null sends nothing.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>
    /// The address the web UI is reached at, for links in webhook messages (null uses the first listen address). Its host
    /// is one the service answers to, and its origin one of its own (behind a proxy that passes its own name on).
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>
    /// More host names the service answers to (<c>--allowed-hosts</c>), besides the listen hosts, the loopback names of a
    /// loopback binding and the public URL's host: e.g. the machine's name and address when <c>--urls</c> names one of
    /// them. <c>*</c> answers to any host and needs a token.
    /// </summary>
    public IReadOnlyList<string> ExtraAllowedHosts { get; init; } = [];

    /// <summary>
    /// Whether background runs read and write the response cache (on by default; <c>serve --no-cache</c>). With it on, a
    /// scheduled run of an unchanged prompt and dataset replays the cached answers, so watching a hosted model for drift
    /// (regression alerts on an unchanged version) needs it off.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>The options without their secrets (the token and the webhook URL are masked), safe to log.</summary>
    public override string ToString() =>
        $"EvalLoopServiceOptions {{ Workspace = {Workspace}, Urls = {Urls}, Token = {(Token is null ? "none" : "***")}, WebhookUrl = {(WebhookUrl is null ? "none" : "***")}, Scheduler = {Scheduler}, Suggest = {Suggest} }}";
}

/// <summary>What a trigger that fires while its experiment still runs does.</summary>
public enum OverlapPolicy
{
    /// <summary>It waits until the running job ends, then runs.</summary>
    Wait,

    /// <summary>It does not run; the job history records it as skipped.</summary>
    Skip,
}
