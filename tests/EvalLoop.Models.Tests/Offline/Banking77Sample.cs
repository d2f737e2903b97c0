using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Offline;

/// <summary>The shipped BANKING77 sample (datasets/banking77.jsonl), and the classification prompt the tests give it.</summary>
internal sealed class Banking77Sample
{
    private Banking77Sample(IReadOnlyList<string> labels, IReadOnlyList<Banking77Case> cases)
    {
        Labels = labels;
        Cases = cases;
    }

    public IReadOnlyList<string> Labels { get; }

    public IReadOnlyList<Banking77Case> Cases { get; }

    public static Banking77Sample Load()
    {
        var datasets = Path.Combine(FindRepositoryRoot(), "datasets");
        var labels = File.ReadAllLines(Path.Combine(datasets, "banking77.labels.txt"))
            .Where(line => line.Length > 0)
            .ToList();
        var cases = new List<Banking77Case>();
        foreach (var line in File.ReadLines(Path.Combine(datasets, "banking77.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            cases.Add(new Banking77Case(
                root.GetProperty("id").GetString()!,
                root.GetProperty("input").GetString()!,
                root.GetProperty("expected").GetString()!,
                root.GetProperty("split").GetString()!));
        }

        return new Banking77Sample(labels, cases);
    }

    public IEnumerable<Banking77Case> Split(string split) => Cases.Where(c => c.Split == split);

    /// <summary>The first <paramref name="perIntent"/> train cases of every intent, in file order.</summary>
    public IReadOnlyList<Banking77Case> FewShotExamples(int perIntent) =>
        [.. Split("train").GroupBy(c => c.Expected).SelectMany(group => group.Take(perIntent))];

    /// <summary>A system prompt listing the 77 intents, optionally followed by "Message:/Intent:" examples.</summary>
    public ChatMessage SystemPrompt(IReadOnlyList<Banking77Case> examples)
    {
        var prompt = new StringBuilder()
            .Append("You classify online-banking customer messages by intent.\n")
            .Append("Answer with exactly one of these intents:\n");
        foreach (var label in Labels)
        {
            prompt.Append("- ").Append(label).Append('\n');
        }

        if (examples.Count > 0)
        {
            prompt.Append("\nExamples:\n\n");
            foreach (var example in examples)
            {
                prompt.Append("Message: ").Append(example.Input).Append('\n')
                    .Append("Intent: ").Append(example.Expected).Append("\n\n");
            }
        }

        return new ChatMessage(ChatRole.System, prompt.ToString());
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "datasets", "banking77.jsonl")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No datasets/banking77.jsonl in {AppContext.BaseDirectory} or any parent folder; run the tests from the repository.");
    }
}
