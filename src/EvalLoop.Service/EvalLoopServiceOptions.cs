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
}
