using System.ComponentModel;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop dataset show NAME</c>: a dataset version and its first cases.</summary>
public sealed class DatasetShowCommand : EvalLoopCommand<DatasetShowCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<NAME>")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("--version <HASH>")]
        [Description("A stored version (prefix of its hash). Default: snapshot the current file.")]
        public string? Version { get; init; }

        [CommandOption("--split <SPLIT>")]
        public string? Split { get; init; }

        [CommandOption("-n|--limit <N>")]
        [DefaultValue(10)]
        public int Limit { get; init; } = 10;

        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var version = settings.Version is null
            ? await services.Snapshots.SnapshotAsync(settings.Name, cancellationToken)
            : await services.Datasets.FindAsync(settings.Name, settings.Version, cancellationToken)
                ?? throw new UsageException($"no stored version '{settings.Version}' of dataset '{settings.Name}'");

        var cases = new List<DatasetCase>();
        await foreach (var c in services.Datasets.ReadCasesAsync(version.Version, settings.Split, cancellationToken))
        {
            cases.Add(c);
            if (cases.Count >= settings.Limit)
            {
                break;
            }
        }

        if (settings.Json)
        {
            var json = DatasetListCommand.Describe(version);
            json["name"] = version.Name;
            json["cases_shown"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["input"] = JsonNode.Parse(c.Input.GetRawText()),
                ["expected"] = c.Expected is { } e ? JsonNode.Parse(e.GetRawText()) : null,
                ["split"] = c.Split,
            }).ToArray());
            Console.Out.WriteLine(json.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        Out.MarkupLine($"[bold]{Markup.Escape(version.Name)}[/] version {version.Version[..12]}: {version.CaseCount} cases ({Markup.Escape(string.Join(", ", version.SplitCounts.Select(kv => $"{kv.Key}={kv.Value}")))})");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("id", "split", "input", "expected");
        foreach (var c in cases)
        {
            table.AddRow(Markup.Escape(c.Id), Markup.Escape(c.Split ?? string.Empty), Markup.Escape(Shorten(c.InputText)), Markup.Escape(Shorten(c.ExpectedText ?? string.Empty)));
        }

        Out.Write(table);
        return ExitCodes.Success;
    }

    private static string Shorten(string text) => text.Length <= 70 ? text.ReplaceLineEndings(" ") : text[..67].ReplaceLineEndings(" ") + "...";
}
