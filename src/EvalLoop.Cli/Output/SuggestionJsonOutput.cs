using System.Text.Json.Nodes;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Presentation;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Cli.Output;

/// <summary>The <c>--json</c> forms of suggestions: one object per suggestion, with the change and evidence as nested JSON.</summary>
public static class SuggestionJsonOutput
{
    /// <summary>Indented, with prompts and reasons readable as written (quotes and apostrophes unescaped); stdout is never HTML.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The list form: id, kind, status, title, the headline figures, decision.</summary>
    public static JsonObject Summary(Suggestion s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["kind"] = s.Kind,
            ["status"] = s.Status,
            ["experiment"] = s.ExperimentName,
            ["run_id"] = s.RunId,
            ["title"] = s.Title,
            ["created_at"] = s.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["cluster_ids"] = new JsonArray(s.ClusterIds.Select(c => (JsonNode)c).ToArray()),
            ["effect"] = SuggestionText.Effect(s),
        };
        if (s.Kind == SuggestionKinds.Prompt && SuggestionJson.TryDeserialize<PromptEvidence>(s.EvidenceJson) is { } e)
        {
            json["verdict"] = e.Verdict;
            json["baseline_pass_rate"] = e.BaselinePassRate;
            json["candidate_pass_rate"] = e.CandidatePassRate;
            json["delta"] = e.Delta;
            json["p_value"] = e.McNemar.PValue;
            json["verification_cases"] = e.VerificationCases;
        }
        else if (s.Kind != SuggestionKinds.Prompt && s.EvidenceJson is { } other && JsonNode.Parse(other) is JsonObject evidence && evidence["verdict"] is { } verdict)
        {
            json["verdict"] = verdict.DeepClone();
        }

        // A superseded suggestion has no decider but a time and a reason (which file changed).
        if (s.DecidedBy is not null || s.DecidedAt is not null)
        {
            json["decided_by"] = s.DecidedBy;
            json["decided_at"] = s.DecidedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            json["decision_reason"] = s.DecisionReason;
            json["resulting_version"] = s.ResultingVersion;
        }

        return json;
    }

    /// <summary>The full form: the summary plus summary text, change, evidence, the prompt diff and the audit history.</summary>
    public static JsonObject Details(Suggestion s, IReadOnlyList<SuggestionEvent> history)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(history);
        var json = Summary(s);
        json["summary"] = s.Summary;
        json["change"] = JsonNode.Parse(s.ChangeJson);
        json["evidence"] = s.EvidenceJson is null ? null : JsonNode.Parse(s.EvidenceJson);
        if (s.Kind == SuggestionKinds.Prompt)
        {
            json["diff"] = SuggestionText.PromptDiff(SuggestionJson.Deserialize<PromptChange>(s.ChangeJson));
        }

        json["history"] = new JsonArray(history.Select(e => (JsonNode)new JsonObject
        {
            ["revision"] = e.Revision,
            ["from_status"] = e.FromStatus,
            ["to_status"] = e.ToStatus,
            ["recorded_at"] = e.RecordedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["decided_by"] = e.Snapshot.DecidedBy,
            ["reason"] = e.Snapshot.DecisionReason,
        }).ToArray());
        return json;
    }

    /// <summary>What <c>suggest --json</c> prints.</summary>
    public static JsonObject Outcome(SuggestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new JsonObject
        {
            ["run_id"] = outcome.RequestedRun.Id,
            ["analysis_run_id"] = outcome.AnalysisRun.Id,
            ["plan"] = new JsonObject
            {
                ["pool_split"] = outcome.Plan.PoolSplit,
                ["working_split"] = outcome.Plan.WorkingSplit,
                ["held_out_split"] = outcome.Plan.HeldOutSplit,
                ["pool_cases"] = outcome.Plan.Pool.Count,
                ["analysis_cases"] = outcome.Plan.Analysis.Count,
                ["verification_cases"] = outcome.Plan.Verification.Count,
            },
            ["clusters"] = outcome.Analysis?.Clusters.Count ?? 0,
            ["suggestions"] = new JsonArray(outcome.Created.Select(s => (JsonNode)Summary(s)).ToArray()),
            ["already_proposed"] = new JsonArray(outcome.AlreadyProposed.Select(s => (JsonNode)Summary(s)).ToArray()),
            ["superseded"] = new JsonArray(outcome.Superseded.Select(s => (JsonNode)Summary(s)).ToArray()),
            ["notes"] = new JsonArray(outcome.Notes.Select(n => (JsonNode)n).ToArray()),
        };
    }
}
