using System.ComponentModel;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Hosting;

/// <summary>Options every command takes: which workspace and which database.</summary>
public class WorkspaceSettings : CommandSettings
{
    [CommandOption("-w|--workspace <DIR>")]
    [Description("Workspace folder (datasets/, scorers/, experiments/). Default: the current directory.")]
    public string? Workspace { get; init; }

    [CommandOption("--db <PATH>")]
    [Description("SQLite database path. Default: $EVALLOOP_DB, else <workspace>/.evalloop/evalloop.db.")]
    public string? Database { get; init; }
}
