using System.Globalization;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using EvalLoop.Suggestions.Text;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Presentation;

/// <summary>
/// The plain text both hosts show for a suggestion (the CLI in Spectre markup, the service in HTML): its one-line effect,
/// the unified diff of a prompt change, verdicts, p-values and figures. Nothing here is escaped for any host; each host
/// escapes what it prints.
/// </summary>
public static class SuggestionText
{
    /// <summary>One line for the effect a suggestion's evidence measured, e.g. "45.3% → 70.7% (+25.4 pts, p=2.4e-15)".</summary>
    public static string Effect(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        if (suggestion.EvidenceJson is null)
        {
            return "not verified";
        }

        try
        {
            return suggestion.Kind switch
            {
                SuggestionKinds.Prompt => PromptEffect(SuggestionJson.Deserialize<PromptEvidence>(suggestion.EvidenceJson)),
                SuggestionKinds.Scorer => ScorerEffect(SuggestionJson.Deserialize<ScorerEvidence>(suggestion.EvidenceJson)),
                SuggestionKinds.Dataset => DatasetEffect(suggestion),
                _ => string.Empty,
            };
        }
        catch (System.Text.Json.JsonException)
        {
            return "(evidence unreadable)";
        }
    }

    /// <summary>The verdict of a suggestion's evidence (one of <see cref="Verdicts"/>), or null when it has none or it is unreadable.</summary>
    public static string? Verdict(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return suggestion.Kind switch
        {
            SuggestionKinds.Prompt => SuggestionJson.TryDeserialize<PromptEvidence>(suggestion.EvidenceJson)?.Verdict,
            SuggestionKinds.Scorer => SuggestionJson.TryDeserialize<ScorerEvidence>(suggestion.EvidenceJson)?.Verdict,
            SuggestionKinds.Dataset => SuggestionJson.TryDeserialize<DatasetEvidence>(suggestion.EvidenceJson)?.Verdict,
            _ => null,
        };
    }

    public static string PromptEffect(PromptEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Percent(e.BaselinePassRate)} → {Percent(e.CandidatePassRate)} ({Points(e.Delta)}, p={PValue(e.McNemar.PValue)}, {e.McNemar.Fixed} fixed / {e.McNemar.Broken} broken, {e.VerificationCases} cases) {VerdictText(e.Verdict)}");
    }

    private static string ScorerEffect(ScorerEvidence e) => string.Create(
        CultureInfo.InvariantCulture,
        $"{e.Runs.Sum(r => r.Flips.Count)} pass/fail flip(s) over {e.Runs.Sum(r => r.Results)} stored results, no model calls");

    private static string DatasetEffect(Suggestion suggestion)
    {
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        return string.Join(", ", change.Operations.GroupBy(o => o.Op).Select(g => $"{g.Count()} to {g.Key}")) + "; needs review";
    }

    public static string VerdictText(string verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict switch
        {
            Verdicts.Significant => "significant",
            Verdicts.NotSignificant => "not significant",
            Verdicts.Regression => "REGRESSION",
            _ => verdict.Replace('_', ' '),
        };
    }

    public static string PValue(double p) => p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The unified diff of a prompt change, system message then user template.</summary>
    public static string PromptDiff(PromptChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var system = LineDiff.Unified(change.Base.System ?? string.Empty, change.Proposed.System ?? string.Empty, $"{change.ExperimentPath} prompt.system (version {change.BasePromptVersion})", $"{change.ExperimentPath} prompt.system (proposed version {change.ProposedPromptVersion})");
        var user = LineDiff.Unified(change.Base.User, change.Proposed.User, $"{change.ExperimentPath} prompt.user (version {change.BasePromptVersion})", $"{change.ExperimentPath} prompt.user (proposed version {change.ProposedPromptVersion})");
        return system + user;
    }

    /// <summary>What one dataset row operation does, e.g. "expected billing -> bug".</summary>
    public static string Operation(DatasetOperation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Op switch
        {
            DatasetOperation.Relabel => $"expected {op.ExpectedBefore} -> {op.ExpectedAfter}",
            DatasetOperation.Move => $"split {op.SplitBefore} -> {op.SplitAfter}",
            DatasetOperation.Remove => $"remove ({op.SplitBefore}, expected {op.ExpectedBefore})",
            _ => "append",
        };
    }

    /// <summary>The provenance firewall in one sentence: how many cases shaped the change, none of them verified on.</summary>
    public static string ProvenanceLine(Provenance provenance, IReadOnlyList<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(excluded);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Provenance: {provenance.MotivatingCaseIds.Count} motivating case(s), {provenance.SourceCaseIds.Count} source case(s) (examples/rows); none of them is in the verification cases{(excluded.Count > 0 ? $" ({excluded.Count} left out by the firewall)" : string.Empty)}.");
    }

    /// <summary>The McNemar test of a prompt's evidence in one sentence, with its verdict.</summary>
    public static string McNemarLine(PromptEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Create(CultureInfo.InvariantCulture, $"McNemar ({e.McNemar.Method}): {e.McNemar.Fixed} fixed, {e.McNemar.Broken} broken, p = {PValue(e.McNemar.PValue)} at level {e.SignificanceLevel}: {VerdictText(e.Verdict)}.");
    }

    /// <summary>An alternative candidate verified and not kept, in one line.</summary>
    public static string Alternative(CandidateOutcome a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return string.Create(CultureInfo.InvariantCulture, $"{a.Strategy}: {a.Title}: {Points(a.Delta)}, p={PValue(a.PValue)} ({VerdictText(a.Verdict)}), run {a.CandidateRunId}");
    }

    /// <summary>The experiments a goal draft writes (files directly under <c>experiments/</c>), which its approval re-runs.</summary>
    public static IReadOnlyList<string> DraftedExperiments(GoalDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return [.. draft.Files
            .Select(f => f.Path.Replace('\\', '/'))
            .Where(p => p.StartsWith("experiments/", StringComparison.Ordinal) && p.IndexOf('/', "experiments/".Length) < 0 && p.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(p => p["experiments/".Length..^".yaml".Length])];
    }

    /// <summary>Which scorer a scorer change edits and where, e.g. "Scorer 'exact' (exact-match) in scorers/exact.yaml".</summary>
    public static string ScorerHeading(ScorerChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return $"Scorer '{change.ScorerName}' ({change.ScorerType}) in {change.FilePath}{(change.Inline ? " (inline in the experiment)" : string.Empty)}";
    }

    /// <summary>A scorer threshold, or "default" when none is set.</summary>
    public static string Threshold(double? threshold) => threshold?.ToString(CultureInfo.InvariantCulture) ?? "default";

    /// <summary>Scorer options as compact JSON ("{}" when there are none).</summary>
    public static string Options(System.Text.Json.Nodes.JsonObject? options) => options?.ToJsonString() ?? "{}";

    /// <summary>One re-scored run in one line: pass rates under the current and the proposed scorer, and the flips.</summary>
    public static string RescoredRunLine(RescoredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture, $"Re-scored run {run.RunId} ({run.Description}): pass rate {Percent(run.PassRateBefore)} -> {Percent(run.PassRateAfter)}, {run.Flips.Count} flip(s)");
    }

    /// <summary>The case a flip is of, with its trial when there are several.</summary>
    public static string FlipCase(Flip flip)
    {
        ArgumentNullException.ThrowIfNull(flip);
        return flip.Trial > 1 ? string.Create(CultureInfo.InvariantCulture, $"{flip.CaseId} #{flip.Trial}") : flip.CaseId;
    }

    /// <summary>The evidence table of a prompt suggestion: label, current, proposed, delta (plain text cells).</summary>
    public static IReadOnlyList<string[]> EvidenceRows(PromptEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return
        [
            ["pass rate", Percent(e.BaselinePassRate), Percent(e.CandidatePassRate), Points(e.Delta)],
            [$"{e.Scorer} mean score (paired bootstrap 95% CI)", string.Empty, string.Empty, string.Create(CultureInfo.InvariantCulture, $"{e.ScoreDelta.Mean:+0.000;-0.000} [{e.ScoreDelta.Low:+0.000;-0.000}, {e.ScoreDelta.High:+0.000;-0.000}]")],
            ["input tokens / case", Number(e.Usage.BaselineInputTokens), Number(e.Usage.CandidateInputTokens), Number(e.Usage.CandidateInputTokens - e.Usage.BaselineInputTokens, withSign: true)],
            ["output tokens / case", Number(e.Usage.BaselineOutputTokens), Number(e.Usage.CandidateOutputTokens), Number(e.Usage.CandidateOutputTokens - e.Usage.BaselineOutputTokens, withSign: true)],
            ["cost (run)", e.Usage.BaselineCost.ToString("0.####", CultureInfo.InvariantCulture), e.Usage.CandidateCost.ToString("0.####", CultureInfo.InvariantCulture), (e.Usage.CandidateCost - e.Usage.BaselineCost).ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture)],
            ["latency p50 (ms)", Number(e.Usage.BaselineLatencyP50Ms, decimals: 1), Number(e.Usage.CandidateLatencyP50Ms, decimals: 1), Number(e.Usage.CandidateLatencyP50Ms - e.Usage.BaselineLatencyP50Ms, withSign: true, decimals: 1)],
        ];
    }

    public static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>A pass-rate difference in percentage points, e.g. "+25.4 pts".</summary>
    public static string Points(double delta) => string.Create(CultureInfo.InvariantCulture, $"{delta * 100:+0.0;-0.0} pts");

    public static string Number(double value, bool withSign = false, int decimals = 0)
    {
        var format = decimals == 0 ? "#,0" : "#,0." + new string('0', decimals);
        return value.ToString(withSign ? $"+{format};-{format};0" : format, CultureInfo.InvariantCulture);
    }

    /// <summary><paramref name="text"/> on one line, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Shorten(string text, int max)
    {
        var line = TextKey.OneLine(text);
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
