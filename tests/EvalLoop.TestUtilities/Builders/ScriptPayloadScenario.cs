using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;

namespace EvalLoop.TestUtilities.Builders;

/// <summary>
/// A run whose untrusted text (inputs, outputs, metadata, rationales, prompt, cluster names, suggestions) is full of
/// markup that would run if a report failed to escape it, with an earlier run for the trend, two failure clusters
/// and a suggestion. Report tests and the browser test share it.
/// </summary>
public static class ScriptPayloadScenario
{
    public const string ScriptPayload = "<script>alert(1)</script>";
    public const string ImagePayload = "<img src=x onerror=alert(1)>";
    public const string ScriptBreakout = "</script><script>alert(1)</script><!--";
    public const string RunId = "20261129-120000-payload";
    public const string EarlierRunId = "20261128-120000-earlier";
    public const string SystemPrompt = "Classify the message as alpha, beta or gamma.\nNever output " + ScriptPayload + ".";
    public const int Cases = 60;

    private static readonly string[] Labels = ["alpha", "beta", "gamma"];

    public static async Task<(RunScenario Scenario, RunRecord Run)> CreateAsync()
    {
        var scenario = new RunScenario();
        var cases = Enumerable.Range(1, Cases).Select(i =>
        {
            var label = Labels[i % 3];
            var input = i switch
            {
                1 => "Please show " + ImagePayload,
                2 => "quote: \"it's\" & <b>bold</b>",
                _ => $"message {i} about {label}",
            };
            var topic = i == 5 ? ScriptPayload : label;
            return RunScenario.Case($"case-{i:00}", input, label, $$"""{"topic": "{{topic.Replace("\"", "\\\"", StringComparison.Ordinal)}}", "row": {{i}}, "tags": ["t{{i % 2}}"]}""");
        }).ToList();
        var dataset = await scenario.AddDatasetAsync(cases);
        var experiment = RunScenario.Experiment(system: SystemPrompt, targets: new Dictionary<string, double> { ["exact-match"] = 0.8 });

        await scenario.AddRunAsync(experiment, dataset, cases, (c, i) => i % 2 == 0 ? ScenarioResult.Pass(Expected(c)) : ScenarioResult.Fail("wrong"), DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), EarlierRunId);
        var run = await scenario.AddRunAsync(experiment, dataset, cases, Result, DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), RunId);

        await scenario.Clusters.SaveAsync(new ClusterAnalysis(
            run.Id,
            "test-analyzer 1.0",
            "{}",
            DateTimeOffset.Parse("2026-11-29T12:05:00Z", System.Globalization.CultureInfo.InvariantCulture),
            FailureCount: 20,
            [
                Cluster(run.Id, 0, ScriptPayload + " → gamma", "Outputs that are markup: " + ImagePayload, ["case-06", "case-09", "case-12", "case-18"], "confusion"),
                Cluster(run.Id, 1, "beta → wrong", "Answers 'wrong' for beta.", ["case-01", "case-02", "case-03"], "invalid-label"),
            ]));

        await scenario.Suggestions.SaveAsync(new Suggestion
        {
            Id = "s-1",
            RunId = run.Id,
            ExperimentName = run.ExperimentName,
            Kind = SuggestionKinds.Prompt,
            Title = "Add examples " + ImagePayload,
            Summary = "Few-shot examples for beta " + ScriptPayload,
            ChangeJson = """{"system": "</script><script>alert(1)</script>"}""",
            EvidenceJson = """{"verification_run": "x", "pass_rate_before": 0.5, "pass_rate_after": 0.7, "note": "<img src=x onerror=alert(1)>"}""",
            ClusterIds = [run.Id + "-c0"],
            CreatedAt = DateTimeOffset.Parse("2026-11-29T12:06:00Z", System.Globalization.CultureInfo.InvariantCulture),
        });

        return (scenario, run);
    }

    /// <summary>Case 1 outputs a script, 2 an image with a handler, 3 a script-block breakout; every third case fails; 7 errors.</summary>
    public static ScenarioResult Result(DatasetCase @case, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var n = ordinal + 1;
        return n switch
        {
            1 => ScenarioResult.Fail(ScriptPayload, 40, rationale: "expected alpha, got " + ScriptPayload),
            2 => ScenarioResult.Fail(ImagePayload, 35, rationale: ImagePayload),
            3 => ScenarioResult.Fail(ScriptBreakout, 30),
            7 => ScenarioResult.Errored("http_500"),
            _ when n % 3 == 0 => ScenarioResult.Fail("gamma?", 20 + n),
            _ => ScenarioResult.Pass(Expected(@case), 10 + n),
        };
    }

    private static string Expected(DatasetCase c) => c.ExpectedText ?? string.Empty;

    private static FailureCluster Cluster(string runId, int index, string name, string description, string[] caseIds, string kind)
    {
        var members = caseIds.Select(id => new ClusterMember(id)).ToArray();
        return new FailureCluster(
            $"{runId}-c{index}",
            index,
            name,
            description,
            Share: caseIds.Length / 20.0,
            members,
            members.Take(2).ToArray(),
            kind,
            [new ScorerFailure("exact-match", caseIds.Length, 0)],
            [new ConfusionPair("gamma", ScriptPayload, 2)],
            ["markup", ScriptPayload]);
    }
}
