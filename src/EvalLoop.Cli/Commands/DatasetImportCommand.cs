using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop dataset import FILE</c>: turns a CSV (or validates a JSONL) file into <c>datasets/NAME.jsonl</c> and
/// snapshots it into the database.
/// </summary>
public sealed class DatasetImportCommand : EvalLoopCommand<DatasetImportCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A .csv file (header row) or a .jsonl file.")]
        public string File { get; init; } = string.Empty;

        [CommandOption("--name <NAME>")]
        [Description("Dataset name (default: the file name).")]
        public string? Name { get; init; }

        [CommandOption("--input-column <COLUMN>")]
        public string? InputColumn { get; init; }

        [CommandOption("--expected-column <COLUMN>")]
        public string? ExpectedColumn { get; init; }

        [CommandOption("--id-column <COLUMN>")]
        public string? IdColumn { get; init; }

        [CommandOption("--split-column <COLUMN>")]
        public string? SplitColumn { get; init; }

        [CommandOption("--metadata-columns <COLUMNS>")]
        [Description("Comma-separated columns to keep as metadata (default: all other columns).")]
        public string? MetadataColumns { get; init; }

        [CommandOption("--force")]
        [Description("Overwrite an existing datasets/NAME.jsonl.")]
        public bool Force { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var name = settings.Name ?? Path.GetFileNameWithoutExtension(settings.File);
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', ' ']) >= 0)
        {
            throw new UsageException($"invalid dataset name '{name}'");
        }

        IReadOnlyList<DatasetCase> cases;
        if (settings.File.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            cases = await JsonlDatasetReader.ReadAsync(settings.File, cancellationToken);
        }
        else
        {
            if (settings.InputColumn is null)
            {
                throw new UsageException("--input-column is required for a CSV file");
            }

            var metadata = settings.MetadataColumns?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            cases = await CsvDatasetConverter.ReadAsync(
                settings.File,
                new CsvColumnMapping(settings.InputColumn, settings.ExpectedColumn, settings.IdColumn, settings.SplitColumn, metadata),
                cancellationToken);
        }

        var target = Path.Combine(services.Layout.DatasetsDirectory, name + ".jsonl");
        if (File.Exists(target) && !settings.Force && !string.Equals(Path.GetFullPath(settings.File), target, StringComparison.Ordinal))
        {
            throw new UsageException($"{target} already exists; pass --force to overwrite it or --name to choose another name");
        }

        await JsonlDatasetWriter.WriteAsync(target, cases, cancellationToken);
        var version = await services.Snapshots.SnapshotAsync(name, cancellationToken);
        Out.MarkupLine($"[green]imported[/] {version.CaseCount} cases into {Markup.Escape(Path.GetRelativePath(services.Layout.Root, target))} (version {version.Version[..12]})");
        if (version.SplitCounts.Count > 0)
        {
            Out.MarkupLine("[grey]splits:[/] " + Markup.Escape(string.Join(", ", version.SplitCounts.Select(kv => $"{kv.Key}={kv.Value}"))));
        }

        return ExitCodes.Success;
    }
}
