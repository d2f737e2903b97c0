using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// Applies <see cref="DatasetOperation"/>s to a JSONL dataset as text, line by line: lines it does not touch stay
/// byte-for-byte as they were; a relabelled or moved line is re-serialised compactly; added lines go at the end.
/// </summary>
public static class JsonlTextEditor
{
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="content">The file content.</param>
    /// <param name="cases">The file's cases as <see cref="JsonlDatasetReader"/> read them, in order: one per non-blank line, with their ids.</param>
    /// <exception cref="InvalidOperationException">An operation names a case the file does not have (it changed), or adds an id it already has.</exception>
    public static string Apply(string content, IReadOnlyList<DatasetCase> cases, IReadOnlyList<DatasetOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(operations);
        var lines = content.Split('\n').ToList();
        var trailingNewline = content.EndsWith('\n');
        if (trailingNewline)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // The i-th non-blank line is the i-th case.
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        for (var i = 0; i < lines.Count && next < cases.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                lineOf[cases[next++].Id] = i;
            }
        }

        var removed = new HashSet<int>();
        foreach (var op in operations.Where(o => o.Op != DatasetOperation.Add))
        {
            if (!lineOf.TryGetValue(op.CaseId, out var index))
            {
                throw new InvalidOperationException($"The dataset has no case '{op.CaseId}' any more; the suggestion no longer applies.");
            }

            switch (op.Op)
            {
                case DatasetOperation.Remove:
                    removed.Add(index);
                    break;
                case DatasetOperation.Relabel:
                    lines[index] = Edit(lines[index], node =>
                    {
                        var before = node["expected"]?.GetValueKind() == JsonValueKind.String ? node["expected"]!.GetValue<string>() : null;
                        node["expected"] = op.ExpectedAfter;

                        // BANKING77-style metadata repeats the label; keep the copy in step when it was one.
                        if (node["metadata"] is JsonObject metadata && before is not null && metadata["label"]?.GetValueKind() == JsonValueKind.String && metadata["label"]!.GetValue<string>() == before)
                        {
                            metadata["label"] = op.ExpectedAfter;
                        }
                    });
                    break;
                case DatasetOperation.Move:
                    lines[index] = Edit(lines[index], node => node["split"] = op.SplitAfter);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown dataset operation '{op.Op}'.");
            }
        }

        var result = lines.Where((_, i) => !removed.Contains(i)).ToList();
        foreach (var op in operations.Where(o => o.Op == DatasetOperation.Add))
        {
            if (lineOf.ContainsKey(op.CaseId))
            {
                throw new InvalidOperationException($"The dataset already has a case '{op.CaseId}'; the suggestion no longer applies.");
            }

            result.Add(op.Line ?? throw new InvalidOperationException($"Operation add of '{op.CaseId}' has no line."));
        }

        return string.Join('\n', result) + (trailingNewline || result.Count > 0 ? "\n" : string.Empty);
    }

    private static string Edit(string line, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new InvalidOperationException("A dataset line is not a JSON object.");
        edit(node);
        return node.ToJsonString(LineOptions);
    }
}
