using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EvalLoop.Core.Datasets;

/// <summary>Writes cases as JSONL atomically: to a temp file beside the target, then renamed over it.</summary>
public static class JsonlDatasetWriter
{
    // The file is the user's: keep apostrophes, accents and '+' as they are instead of \u0027-style escapes.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(string path, IEnumerable<DatasetCase> cases, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                foreach (var c in cases)
                {
                    var line = new Dictionary<string, object?> { ["id"] = c.Id, ["input"] = c.Input };
                    if (c.Expected is { } expected)
                    {
                        line["expected"] = expected;
                    }

                    if (c.Metadata is { } metadata)
                    {
                        line["metadata"] = metadata;
                    }

                    if (c.Split is { } split)
                    {
                        line["split"] = split;
                    }

                    await writer.WriteLineAsync(JsonSerializer.Serialize(line, Options).AsMemory(), cancellationToken);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
