using System.Text;
using System.Text.Json;
using EvalLoop.Suggestions.Planning;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// A small crafted support-ticket workspace: three labels (billing, bug, feature_request) whose messages share
/// label-specific words, in train, dev and test splits, and an experiment whose prompt the test chooses.
/// </summary>
internal static class TicketsWorkspace
{
    public static readonly string[] Labels = ["billing", "bug", "feature_request"];

    private static readonly Dictionary<string, (string[] Templates, string[] Fillers)> Vocabulary = new()
    {
        ["billing"] = (
            ["I was charged twice for my {0} subscription", "Please refund the {0} invoice", "My card was billed for the {0} plan by mistake", "Why is my {0} invoice higher this month", "Cancel the duplicate charge on my {0} payment", "The {0} receipt shows a wrong amount charged"],
            ["premium", "monthly", "annual", "family", "team", "starter"]),
        ["bug"] = (
            ["The app crashes when I open the {0} screen", "Error 500 when I upload a file from the {0} page", "The {0} page freezes after login", "Buttons on the {0} screen do nothing when tapped", "The {0} view shows a blank white page", "Sync fails with an exception on the {0} tab"],
            ["settings", "profile", "dashboard", "inbox", "reports", "calendar"]),
        ["feature_request"] = (
            ["Please add {0} to the app", "It would be great to have {0}", "Could you support {0} in a future version", "I would love an option for {0}", "Any plans to build {0}", "Suggestion: add {0} for power users"],
            ["dark mode", "PDF export", "single sign-on", "keyboard shortcuts", "offline mode", "custom themes"]),
    };

    /// <summary>Per split, the number of cases per label.</summary>
    public static readonly IReadOnlyDictionary<string, int> SplitSizes = new Dictionary<string, int> { ["train"] = 8, ["dev"] = 16, ["test"] = 8 };

    /// <summary>The cases: every (template, filler) combination of a label, dealt to train, dev and test in turn.</summary>
    public static List<(string Id, string Input, string Expected, string Split)> Cases()
    {
        var cases = new List<(string, string, string, string)>();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in Labels)
        {
            var (templates, fillers) = Vocabulary[label];
            var texts = new List<string>();
            for (var f = 0; f < fillers.Length; f++)
            {
                for (var t = 0; t < templates.Length; t++)
                {
                    texts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[(t + f) % templates.Length], fillers[f]));
                }
            }

            var next = 0;
            foreach (var (split, count) in SplitSizes)
            {
                for (var i = 0; i < count; i++)
                {
                    var n = counters[split] = counters.GetValueOrDefault(split) + 1;
                    cases.Add(($"t-{split}-{n:D3}", texts[next++], label, split));
                }
            }
        }

        return cases;
    }

    public static string Jsonl(IEnumerable<(string Id, string Input, string Expected, string Split)> cases)
    {
        var text = new StringBuilder();
        foreach (var c in cases)
        {
            text.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = c.Id, ["input"] = c.Input, ["expected"] = c.Expected, ["split"] = c.Split })).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>An experiment file for the tickets dataset.</summary>
    public static string Experiment(string system, string scorers = "[label-match]", string name = "tickets") => $$$"""
        # Support tickets, a crafted workspace for the suggester's tests.
        name: {{{name}}}
        dataset: tickets
        split: test
        prompt:
          system: |
        {{{Indent(system, 4)}}}
          user: "{{input}}"
        model:
          provider: offline
        scorers: {{{scorers}}}
        targets: { {{{(scorers.Contains("label-match", StringComparison.Ordinal) ? "label-match" : "exact-match")}}}: 0.9 }
        concurrency: 4

        """;

    public const string LabelMatchScorer = """
        # Exact label match, forgiving surrounding whitespace and case.
        type: exact-match
        threshold: 1
        options:
          trim: true
          case_sensitive: false

        """;

    public static Dictionary<string, string> Files(string system, IEnumerable<(string Id, string Input, string Expected, string Split)>? cases = null, string scorers = "[label-match]") => new()
    {
        ["datasets/tickets.jsonl"] = Jsonl(cases ?? Cases()),
        ["scorers/label-match.yaml"] = LabelMatchScorer,
        ["experiments/tickets.yaml"] = Experiment(system, scorers),
    };

    /// <summary>A case id of the given split that falls in the analysis (or verification) half.</summary>
    public static string IdInHalf(string split, bool analysis, int from = 900) =>
        Enumerable.Range(from, 1000).Select(n => $"t-{split}-{n:D3}").First(id => SplitPlanner.InAnalysisHalf(id) == analysis);

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));
}
