using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EvalLoop.Benchmarks;

/// <summary>
/// A throw-away EvalLoop workspace for one measured run: an N-case JSONL dataset and <c>experiments/bench.yaml</c>
/// pointing at the benchmark's loopback endpoint. Each run gets a fresh one, so every run pays the same first-run costs
/// (database creation, migrations, dataset snapshot) and none reads another's database.
/// </summary>
internal sealed class BenchWorkspace : IDisposable
{
    public const string ExperimentPath = "experiments/bench.yaml";
    public const int Labels = 10;

    private bool _keep;

    private BenchWorkspace(string root, bool keep)
    {
        Root = root;
        _keep = keep;
    }

    public string Root { get; }

    /// <summary>Where the measured process's stdout, stderr and the meter's report go (outside the workspace's own folders).</summary>
    public string LogsDirectory => Path.Combine(Root, "bench-logs");

    public static BenchWorkspace Create(int cases, int concurrency, string baseUrl, bool keep)
    {
        var root = Directory.CreateTempSubdirectory("evalloop-bench-").FullName;
        var workspace = new BenchWorkspace(root, keep);
        Directory.CreateDirectory(Path.Combine(root, "datasets"));
        Directory.CreateDirectory(Path.Combine(root, "experiments"));
        Directory.CreateDirectory(workspace.LogsDirectory);
        WriteDataset(Path.Combine(root, "datasets", "bench.jsonl"), cases);
        File.WriteAllText(Path.Combine(root, ExperimentPath), Experiment(concurrency, baseUrl));
        return workspace;
    }

    /// <summary>The answer the endpoint gives: the last word of the input, which is the case's label.</summary>
    public static string Answer(string input)
    {
        var space = input.LastIndexOf(' ');
        return space < 0 ? input : input[(space + 1)..];
    }

    /// <summary>Leaves the folder in place when disposed, e.g. so that a broken run can be inspected.</summary>
    public void Keep() => _keep = true;

    public void Dispose()
    {
        if (!_keep)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static void WriteDataset(string path, int cases)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream);
        var newline = "\n"u8.ToArray();
        for (var i = 1; i <= cases; i++)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"label-{i % Labels}");
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"case-{i:000000}"));
            writer.WriteString("input", string.Create(CultureInfo.InvariantCulture, $"Ticket {i} is about {label}"));
            writer.WriteString("expected", label);
            writer.WriteEndObject();
            writer.Flush();
            stream.Write(newline);
        }
    }

    private static string Experiment(int concurrency, string baseUrl)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# Written by `evalloop bench runner`: a loopback OpenAI-compatible endpoint with a fixed latency.");
        yaml.AppendLine("name: bench");
        yaml.AppendLine("dataset: bench");
        yaml.AppendLine("prompt:");
        yaml.AppendLine("  system: \"Answer with the ticket's label only.\"");
        yaml.AppendLine("  user: \"{{input}}\"");
        yaml.AppendLine("model:");
        yaml.AppendLine("  provider: openai");
        yaml.AppendLine("  name: bench-model");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  base_url: {baseUrl}");
        yaml.AppendLine("  max_retries: 0");
        yaml.AppendLine("scorers: [exact-match]");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"concurrency: {concurrency}");
        return yaml.ToString();
    }
}
