using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>What approving and rejecting share: the suggestion, who decides and why.</summary>
public class SuggestionsDecisionSettings : WorkspaceSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The suggestion (see: evalloop suggestions list).")]
    public string Id { get; init; } = string.Empty;

    [CommandOption("--by <NAME>")]
    [Description("Who decides, for the audit history. Default: $EVALLOOP_USER, else the login name.")]
    public string? By { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why, in your words (required to reject).")]
    public string? Reason { get; init; }

    public string Decider =>
        !string.IsNullOrWhiteSpace(By) ? By
        : Environment.GetEnvironmentVariable("EVALLOOP_USER") is { Length: > 0 } user ? user
        : Environment.UserName;
}
