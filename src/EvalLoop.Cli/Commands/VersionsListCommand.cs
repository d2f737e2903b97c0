using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop versions list FILE</c>: the recorded versions of an experiment, dataset or scorer file, newest first.</summary>
public sealed class VersionsListCommand : EvalLoopCommand<VersionsListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The file, e.g. experiments/banking77-intents.yaml (relative to the workspace, or absolute).")]
        public string File { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print a JSON array on stdout.")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var path = Path.GetRelativePath(services.Layout.Root, Path.GetFullPath(settings.File, services.Layout.Root)).Replace('\\', '/');
        var versions = await services.FileVersions.ListAsync(path, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(new JsonArray(versions.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id,
                ["kind"] = v.Kind,
                ["path"] = v.Path,
                ["sha256"] = v.Sha256,
                ["content_version"] = v.ContentVersion,
                ["suggestion_id"] = v.SuggestionId,
                ["previous_id"] = v.PreviousId,
                ["created_by"] = v.CreatedBy,
                ["created_at"] = v.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                ["note"] = v.Note,
            }).ToArray()).ToJsonString(SuggestionJsonOutput.Options));
            return ExitCodes.Success;
        }

        if (versions.Count == 0)
        {
            Out.MarkupLine(Markup.Escape($"No recorded versions of {path}: EvalLoop records one whenever an approval or a restore changes it."));
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"versions of {path}, newest first"));
        table.AddColumn("#");
        table.AddColumn("when");
        table.AddColumn("by");
        table.AddColumn("version");
        table.AddColumn("why");
        foreach (var v in versions)
        {
            table.AddRow(new Text(v.Id.ToString(CultureInfo.InvariantCulture)), new Text(v.CreatedAt.ToString("u", CultureInfo.InvariantCulture)), new Text(v.CreatedBy), new Text(v.ContentVersion is { } c ? c[..Math.Min(12, c.Length)] : v.Sha256[..12]), new Text(v.Note ?? string.Empty));
        }

        Out.Write(table);
        Out.MarkupLine("  evalloop versions restore ID    [grey]# put a version back (the current content is recorded first)[/]");
        return ExitCodes.Success;
    }
}
