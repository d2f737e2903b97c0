using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Datasets;

/// <summary>Which CSV columns become which dataset fields.</summary>
/// <param name="MetadataColumns">Columns copied into <c>metadata</c>; null means every column not otherwise used.</param>
public sealed record CsvColumnMapping(string InputColumn, string? ExpectedColumn, string? IdColumn = null, string? SplitColumn = null, IReadOnlyList<string>? MetadataColumns = null);

/// <summary>
/// Converts a CSV file (RFC 4180, header row) into dataset cases. Missing columns, empty inputs and bad split values
/// are errors naming the file, the line and the column.
/// </summary>
public static class CsvDatasetConverter
{
    public static async Task<IReadOnlyList<DatasetCase>> ReadAsync(string path, CsvColumnMapping mapping, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new WorkspaceFileException(path, null, null, "CSV file not found");
        }

        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new WorkspaceFileException(path, 1, null, "the CSV file has no header row");
        }

        foreach (var (column, option) in new[] { (mapping.InputColumn, "--input-column"), (mapping.ExpectedColumn, "--expected-column"), (mapping.IdColumn, "--id-column"), (mapping.SplitColumn, "--split-column") })
        {
            if (column is not null && !header.Contains(column, StringComparer.Ordinal))
            {
                throw new WorkspaceFileException(path, 1, column, $"no such column (for {option}); columns are: {string.Join(", ", header)}");
            }
        }

        var used = new[] { mapping.InputColumn, mapping.ExpectedColumn, mapping.IdColumn, mapping.SplitColumn };
        IReadOnlyList<string> metadataColumns = mapping.MetadataColumns ?? header.Where(h => !used.Contains(h, StringComparer.Ordinal)).ToArray();
        foreach (var column in metadataColumns)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
            {
                throw new WorkspaceFileException(path, 1, column, $"no such column (for --metadata-columns); columns are: {string.Join(", ", header)}");
            }
        }

        var cases = new List<DatasetCase>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = csv.Parser.RawRow;
            if (csv.Parser.Count < header.Length)
            {
                throw new WorkspaceFileException(path, line, header[csv.Parser.Count], $"missing: the row has {csv.Parser.Count} fields, the header has {header.Length}");
            }

            var input = csv.GetField(mapping.InputColumn);
            if (string.IsNullOrWhiteSpace(input))
            {
                throw new WorkspaceFileException(path, line, mapping.InputColumn, "empty input");
            }

            var id = mapping.IdColumn is { } idColumn ? csv.GetField(idColumn) : null;
            if (!string.IsNullOrEmpty(id) && !ids.Add(id))
            {
                throw new WorkspaceFileException(path, line, mapping.IdColumn, $"duplicate id '{id}'");
            }

            var split = mapping.SplitColumn is { } splitColumn ? csv.GetField(splitColumn) : null;
            if (!string.IsNullOrEmpty(split) && !JsonlDatasetReader.Splits.Contains(split))
            {
                throw new WorkspaceFileException(path, line, mapping.SplitColumn, $"must be train, dev or test; found '{split}'");
            }

            var metadata = metadataColumns.Count == 0
                ? (JsonElement?)null
                : JsonSerializer.SerializeToElement(metadataColumns.ToDictionary(c => c, c => csv.GetField(c) ?? string.Empty, StringComparer.Ordinal));
            cases.Add(new DatasetCase(
                id ?? string.Empty,
                JsonSerializer.SerializeToElement(input),
                mapping.ExpectedColumn is { } e ? JsonSerializer.SerializeToElement(csv.GetField(e) ?? string.Empty) : null,
                metadata,
                string.IsNullOrEmpty(split) ? null : split));
        }

        if (cases.Count == 0)
        {
            throw new WorkspaceFileException(path, null, null, "the CSV file has no rows");
        }

        // Rows without an id get row-N, skipping any N an explicit id (possibly on a later row) already took.
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i].Id.Length == 0)
            {
                var id = $"row-{i + 1}";
                for (var n = 2; ids.Contains(id); n++)
                {
                    id = $"row-{i + 1}-{n}";
                }

                ids.Add(id);
                cases[i] = cases[i] with { Id = id };
            }
        }

        return cases;
    }
}
