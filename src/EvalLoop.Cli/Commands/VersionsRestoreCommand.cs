using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Suggestions.Applying;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop versions restore ID</c>: write an earlier version of a file back, as a new version.</summary>
public sealed class VersionsRestoreCommand : EvalLoopCommand<VersionsRestoreCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("The version (see: evalloop versions list FILE).")]
        public long Id { get; init; }

        [CommandOption("--by <NAME>")]
        [Description("Who restores, for the history. Default: $EVALLOOP_USER, else the login name.")]
        public string? By { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var by = !string.IsNullOrWhiteSpace(settings.By) ? settings.By
            : Environment.GetEnvironmentVariable("EVALLOOP_USER") is { Length: > 0 } user ? user
            : Environment.UserName;
        try
        {
            var change = await new FileVersionRestorer(services.FileVersions, services.Layout).RestoreAsync(settings.Id, by, cancellationToken);
            Out.MarkupLine(Markup.Escape($"Restored {change.Next.Path} to version #{settings.Id} (new version #{change.Next.Id}; what it replaced is kept as #{change.Previous.Id})."));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or SuggestionConflictException)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
    }
}
