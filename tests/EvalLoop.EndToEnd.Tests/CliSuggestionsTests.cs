using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EvalLoop.EndToEnd.Tests;

/// <summary>
/// The suggestion workflow through the real CLI: <c>suggest</c>, <c>suggestions list/show/approve/reject</c>, on a small
/// crafted support-ticket workspace (train, dev and test splits) with the offline model.
/// </summary>
[Collection("cli")]
public sealed class CliSuggestionsTests
{
    private static readonly (string Label, string[] Templates, string[] Fillers)[] Vocabulary =
    [
        ("billing", ["I was charged twice for my {0} subscription", "Please refund the {0} invoice", "My card was billed for the {0} plan by mistake", "Why is my {0} invoice higher this month"], ["premium", "monthly", "annual", "family", "team", "starter"]),
        ("bug", ["The app crashes when I open the {0} screen", "Error 500 when I upload a file from the {0} page", "The {0} page freezes after login", "Buttons on the {0} screen do nothing"], ["settings", "profile", "dashboard", "inbox", "reports", "calendar"]),
        ("feature_request", ["Please add {0} to the app", "It would be great to have {0}", "Could you support {0} in a future version", "I would love an option for {0}"], ["dark mode", "PDF export", "single sign-on", "keyboard shortcuts", "offline mode", "custom themes"]),
    ];

    [Fact]
    public async Task SuggestShowApproveWithRerunAndRejectThroughTheCli()
    {
        // Arrange
        using var workspace = Workspace();
        var run = await CliProcess.RunAsync(workspace.Path, "run", "tickets", "--json");
        using var runJson = JsonDocument.Parse(run.Stdout);
        var runId = runJson.RootElement.GetProperty("run_id").GetString()!;
        var before = runJson.RootElement.GetProperty("passed").GetInt32();

        // Act: suggest
        var suggest = await CliProcess.RunAsync(workspace.Path, "suggest", runId, "--json");

        // Assert
        suggest.ExitCode.Should().Be(0, suggest.ToString());
        using var suggestJson = JsonDocument.Parse(suggest.Stdout);
        var root = suggestJson.RootElement;
        root.GetProperty("plan").GetProperty("working_split").GetString().Should().Be("dev");
        root.GetProperty("plan").GetProperty("held_out_split").GetString().Should().Be("test");
        var suggestions = root.GetProperty("suggestions").EnumerateArray().ToList();
        var prompt = suggestions.Single(s => s.GetProperty("kind").GetString() == "prompt");
        prompt.GetProperty("verdict").GetString().Should().Be("significant", suggest.ToString());
        prompt.GetProperty("delta").GetDouble().Should().BeGreaterThan(0.2);
        var promptId = prompt.GetProperty("id").GetString()!;
        var duplicates = suggestions.Single(s => s.GetProperty("kind").GetString() == "dataset" && s.GetProperty("title").GetString()!.Contains("duplicate", StringComparison.Ordinal));
        var duplicatesId = duplicates.GetProperty("id").GetString()!;

        // list and show
        var list = await CliProcess.RunAsync(workspace.Path, "suggestions", "list", "--status", "pending", "--json");
        list.ExitCode.Should().Be(0, list.ToString());
        using (var listJson = JsonDocument.Parse(list.Stdout))
        {
            listJson.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Contain([promptId, duplicatesId]);
        }

        var show = await CliProcess.RunAsync(workspace.Path, "suggestions", "show", promptId);
        show.ExitCode.Should().Be(0, show.ToString());
        show.Stdout.Should().Contain("--- experiments/tickets.yaml prompt.system").And.Contain("+Input: ").And.Contain("McNemar").And.Contain("Provenance");
        var showJson = await CliProcess.RunAsync(workspace.Path, "suggestions", "show", promptId, "--json");
        using (var details = JsonDocument.Parse(showJson.Stdout))
        {
            details.RootElement.GetProperty("diff").GetString().Should().Contain("+Output: billing");
            details.RootElement.GetProperty("evidence").GetProperty("mc_nemar").GetProperty("p_value").GetDouble().Should().BeLessThan(0.05);
        }

        // reject needs a reason; then rejects and remembers it
        (await CliProcess.RunAsync(workspace.Path, "suggestions", "reject", duplicatesId)).ExitCode.Should().Be(2);
        var reject = await CliProcess.RunAsync(workspace.Path, "suggestions", "reject", duplicatesId, "--reason", "the copies are intended", "--by", "tester");
        reject.ExitCode.Should().Be(0, reject.ToString());

        // approve with --rerun: a new prompt version, and the run that measures it
        var original = await File.ReadAllTextAsync(workspace.File("experiments/tickets.yaml"));
        var approve = await CliProcess.RunAsync(workspace.Path, "suggestions", "approve", promptId, "--rerun", "--by", "tester");
        approve.ExitCode.Should().Be(0, approve.ToString());
        approve.Stdout.Should().Contain($"Approved {promptId} by tester").And.Contain("experiments/tickets.yaml");
        var updated = await File.ReadAllTextAsync(workspace.File("experiments/tickets.yaml"));
        updated.Should().NotBe(original).And.StartWith("# Support tickets").And.Contain("Examples:");
        var runs = await CliProcess.RunAsync(workspace.Path, "runs", "list", "--experiment", "tickets", "--json");
        using (var runsJson = JsonDocument.Parse(runs.Stdout))
        {
            var latest = runsJson.RootElement.EnumerateArray().First();
            latest.GetProperty("passed").GetInt32().Should().BeGreaterThan(before, "the re-run measures the approved version on the test split");
        }

        // the suggester's own snapshots (halves of dev) stay out of the user's dataset list unless asked for
        var datasets = await CliProcess.RunAsync(workspace.Path, "dataset", "list", "--json");
        var allDatasets = await CliProcess.RunAsync(workspace.Path, "dataset", "list", "--json", "--all");
        static List<string> Names(CliResult result) => JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
        Names(datasets).Should().Contain("tickets").And.NotContain(n => n.Contains(".suggest", StringComparison.Ordinal), datasets.ToString());
        Names(allDatasets).Should().Contain(["tickets", "tickets.suggest-analysis", "tickets.suggest-verify"], allDatasets.ToString());

        // a decided suggestion cannot be decided again
        var again = await CliProcess.RunAsync(workspace.Path, "suggestions", "approve", promptId);
        again.ExitCode.Should().Be(2);
        again.Stderr.Should().Contain("already approved");
        var rejected = await CliProcess.RunAsync(workspace.Path, "suggestions", "list", "--status", "rejected");
        rejected.Stdout.Should().Contain(duplicatesId);
    }

    [Fact]
    public async Task ApprovalIsRefusedWhenTheExperimentFileChangedSinceTheSuggestion()
    {
        // Arrange
        using var workspace = Workspace();
        var run = await CliProcess.RunAsync(workspace.Path, "run", "tickets", "--json");
        var runId = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("run_id").GetString()!;
        var suggest = await CliProcess.RunAsync(workspace.Path, "suggest", runId, "--json");
        var promptId = JsonDocument.Parse(suggest.Stdout).RootElement.GetProperty("suggestions").EnumerateArray()
            .Single(s => s.GetProperty("kind").GetString() == "prompt").GetProperty("id").GetString()!;
        var edited = await File.ReadAllTextAsync(workspace.File("experiments/tickets.yaml")) + "# edited by hand\n";
        await File.WriteAllTextAsync(workspace.File("experiments/tickets.yaml"), edited);

        // Act
        var approve = await CliProcess.RunAsync(workspace.Path, "suggestions", "approve", promptId);

        // Assert
        approve.ExitCode.Should().Be(2, approve.ToString());
        approve.Stderr.Should().Contain("refused").And.Contain("has changed since");
        (await File.ReadAllTextAsync(workspace.File("experiments/tickets.yaml"))).Should().Be(edited);
    }

    private static TempWorkspace Workspace()
    {
        var workspace = new TempWorkspace();
        var lines = new StringBuilder();
        var counters = new Dictionary<string, int>();
        foreach (var (label, templates, fillers) in Vocabulary)
        {
            var texts = fillers.SelectMany((f, i) => templates.Select((t, j) => string.Format(CultureInfo.InvariantCulture, templates[(j + i) % templates.Length], f))).ToList();
            var next = 0;
            foreach (var (split, count) in new[] { ("train", 6), ("dev", 12), ("test", 6) })
            {
                for (var i = 0; i < count; i++)
                {
                    var n = counters[split] = counters.GetValueOrDefault(split) + 1;
                    lines.Append(JsonSerializer.Serialize(new { id = $"t-{split}-{n:D3}", input = texts[next++], expected = label, split })).Append('\n');
                }
            }
        }

        // One exact duplicate, for a dataset suggestion to reject.
        lines.Append(JsonSerializer.Serialize(new { id = "t-dev-999", input = "Please refund the premium invoice", expected = "billing", split = "dev" })).Append('\n');
        workspace.Write("datasets/tickets.jsonl", lines.ToString());
        workspace.Write("scorers/label-match.yaml", "type: exact-match\nthreshold: 1\noptions: { trim: true, case_sensitive: false }\n");
        workspace.Write("experiments/tickets.yaml", """
            # Support tickets: route each ticket to billing, bug or feature_request.
            name: tickets
            dataset: tickets
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

            """.Replace("# Support tickets: route", "# Support tickets: route", StringComparison.Ordinal));
        return workspace;
    }
}
