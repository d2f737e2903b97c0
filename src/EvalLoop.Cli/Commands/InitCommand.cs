using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop init [DIR]</c>: creates a workspace with a small, runnable example.</summary>
public sealed class InitCommand : EvalLoopCommand<InitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[DIR]")]
        [Description("Folder to create the workspace in (default: the current directory).")]
        public string? Directory { get; init; }
    }

    private static readonly (string Path, string Content)[] Files =
    [
        ("datasets/support-tickets.jsonl", """
            {"id": "t1", "input": "I was charged twice for my subscription this month", "expected": "billing", "split": "test"}
            {"id": "t2", "input": "The app crashes every time I open settings", "expected": "bug", "split": "test"}
            {"id": "t3", "input": "Can you add a dark mode?", "expected": "feature_request", "split": "test"}
            {"id": "t4", "input": "How do I get a refund for last month's invoice?", "expected": "billing", "split": "test"}
            {"id": "t5", "input": "Error 500 when I upload a file", "expected": "bug", "split": "test"}
            {"id": "t6", "input": "It would be great to export reports as PDF", "expected": "feature_request", "split": "test"}
            {"id": "t7", "input": "My payment card was declined but money left my account", "expected": "billing", "split": "train"}
            {"id": "t8", "input": "The page freezes after login", "expected": "bug", "split": "train"}
            {"id": "t9", "input": "Please support single sign-on", "expected": "feature_request", "split": "train"}

            """),
        ("scorers/label-match.yaml", """
            # Exact label match, forgiving surrounding whitespace and case.
            type: exact-match
            threshold: 1
            options:
              trim: true
              case_sensitive: false

            """),
        ("experiments/support-tickets.yaml", """
            name: support-tickets
            goal: "Route each ticket to billing, bug or feature_request; at least 90% correct."
            dataset: support-tickets
            split: test
            prompt:
              system: |
                Classify the support ticket. Answer with exactly one of:
                - billing
                - bug
                - feature_request
              user: "{{input}}"
            model:
              provider: offline
            scorers: [label-match]
            targets: { label-match: 0.9 }
            concurrency: 4

            """),
        (".gitignore", """
            .evalloop/

            """),
    ];

    protected override Task<int> RunAsync(Settings settings, CancellationToken cancellationToken) => RunCoreAsync(settings, cancellationToken);

    private static async Task<int> RunCoreAsync(Settings settings, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(settings.Directory ?? System.IO.Directory.GetCurrentDirectory());
        var existing = Files.Select(f => Path.Combine(root, f.Path)).Where(File.Exists).ToList();
        if (existing.Count > 0)
        {
            throw new UsageException($"refusing to overwrite existing files: {string.Join(", ", existing)}");
        }

        foreach (var folder in new[] { "datasets", "scorers", "experiments", ".evalloop" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(root, folder));
        }

        foreach (var (path, content) in Files)
        {
            await File.WriteAllTextAsync(Path.Combine(root, path), content.ReplaceLineEndings("\n"), cancellationToken);
        }

        Out.MarkupLine($"[green]created[/] workspace in {Markup.Escape(root)}");
        Out.MarkupLine($"  run it:  evalloop run experiments/support-tickets.yaml --workspace {Markup.Escape(root)}");
        return ExitCodes.Success;
    }
}
