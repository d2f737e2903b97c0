using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Datasets;

/// <summary>
/// Reads a JSONL dataset: one JSON object per line with <c>input</c> (string or object, required), and optional
/// <c>id</c> (string), <c>expected</c> (any), <c>metadata</c> (object) and <c>split</c> (train, dev or test).
/// Blank lines are skipped. Every problem names the file, the line and the field; nothing is returned on error.
/// </summary>
public static class JsonlDatasetReader
{
    private static readonly HashSet<string> KnownFields = ["id", "input", "expected", "metadata", "split"];

    /// <summary>The splits a case may name.</summary>
    public static IReadOnlySet<string> Splits { get; } = new HashSet<string>(StringComparer.Ordinal) { "train", "dev", "test" };

    public static async Task<IReadOnlyList<DatasetCase>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new WorkspaceFileException(path, null, null, "dataset file not found");
        }

        var cases = new List<DatasetCase>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parsed = ParseLine(path, lineNumber, line);
            var id = parsed.Id ?? DeriveId(parsed, ids);
            if (ids.TryGetValue(id, out var firstLine))
            {
                throw new WorkspaceFileException(path, lineNumber, "id", $"duplicate id '{id}' (first used on line {firstLine})");
            }

            ids[id] = lineNumber;
            cases.Add(parsed with { Id = id });
        }

        if (cases.Count == 0)
        {
            throw new WorkspaceFileException(path, null, null, "the dataset has no cases");
        }

        return cases;
    }

    private static DatasetCase ParseLine(string path, int lineNumber, string line)
    {
        JsonElement root;
        try
        {
            root = JsonText.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new WorkspaceFileException(path, lineNumber, null, $"not valid JSON ({ex.Message})", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WorkspaceFileException(path, lineNumber, null, $"each line must be a JSON object, found {Describe(root.ValueKind)}");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                throw new WorkspaceFileException(path, lineNumber, property.Name, $"unknown field (expected one of: {string.Join(", ", KnownFields)})");
            }
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            id = idElement.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(idElement.GetString()) => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new WorkspaceFileException(path, lineNumber, "id", $"must be a non-empty string, found {Describe(idElement.ValueKind)}"),
            };
        }

        if (!root.TryGetProperty("input", out var input))
        {
            throw new WorkspaceFileException(path, lineNumber, "input", "missing required field");
        }

        if (input.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            throw new WorkspaceFileException(path, lineNumber, "input", $"must be a string or an object, found {Describe(input.ValueKind)}");
        }

        JsonElement? expected = root.TryGetProperty("expected", out var e) ? e : null;
        JsonElement? metadata = null;
        if (root.TryGetProperty("metadata", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw new WorkspaceFileException(path, lineNumber, "metadata", $"must be an object, found {Describe(m.ValueKind)}");
            }

            metadata = m;
        }

        string? split = null;
        if (root.TryGetProperty("split", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            split = s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (split is null || !Splits.Contains(split))
            {
                throw new WorkspaceFileException(path, lineNumber, "split", $"must be one of train, dev, test; found {s.GetRawText()}");
            }
        }

        return new DatasetCase(id!, input, expected, metadata, split);
    }

    private static string DeriveId(DatasetCase c, Dictionary<string, int> ids)
    {
        // Content-derived so an id survives inserting or reordering lines; duplicates get a numeric suffix.
        var content = JsonText.ToCompactJson(c.Input) + "\u0000" + (c.Expected is { } e ? JsonText.ToCompactJson(e) : string.Empty);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..12];
        var id = "c-" + hash;
        for (var n = 2; ids.ContainsKey(id); n++)
        {
            id = $"c-{hash}-{n}";
        }

        return id;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
