using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop dataset list</c>: the workspace's dataset files and their stored versions.</summary>
public sealed class DatasetListCommand : EvalLoopCommand<DatasetListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--json")]
        public bool Json { get; init; }

        [CommandOption("--all")]
        [Description("Also list the snapshots the suggester makes for its own runs (NAME.suggest-analysis, NAME.suggest-verify, NAME.suggest-rows).")]
        public bool All { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var versions = await services.Datasets.ListVersionsAsync(null, cancellationToken);
        if (!settings.All)
        {
            // The halves of dev the suggester analyses and verifies on are evidence for suggestions, not the user's data.
            versions = versions.Where(v => !Suggester.IsSuggesterDataset(v.Name)).ToList();
        }

        var files = Directory.Exists(services.Layout.DatasetsDirectory)
            ? Directory.GetFiles(services.Layout.DatasetsDirectory, "*.jsonl").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

        if (settings.Json)
        {
            var array = new JsonArray();
            foreach (var name in files.Union(versions.Select(v => v.Name)).Distinct().Order(StringComparer.Ordinal))
            {
                array.Add(new JsonObject
                {
                    ["name"] = name,
                    ["file"] = files.Contains(name) ? $"datasets/{name}.jsonl" : null,
                    ["versions"] = new JsonArray(versions.Where(v => v.Name == name).Select(v => (JsonNode)Describe(v)).ToArray()),
                });
            }

            Console.Out.WriteLine(array.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("dataset", "version", "cases", "splits", "snapshotted (UTC)");
        foreach (var name in files.Where(f => versions.All(v => v.Name != f)))
        {
            table.AddRow(Markup.Escape(name), "[grey]not snapshotted yet[/]", string.Empty, string.Empty, string.Empty);
        }

        foreach (var v in versions)
        {
            table.AddRow(
                Markup.Escape(v.Name),
                v.Version[..12],
                v.CaseCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", v.SplitCounts.Select(kv => $"{kv.Key}={kv.Value}"))),
                v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        Out.Write(table);
        return ExitCodes.Success;
    }

    internal static JsonObject Describe(DatasetVersion v) => new()
    {
        ["version"] = v.Version,
        ["cases"] = v.CaseCount,
        ["splits"] = new JsonObject(v.SplitCounts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["source"] = v.SourcePath,
        ["created_at"] = v.CreatedAt,
    };
}
