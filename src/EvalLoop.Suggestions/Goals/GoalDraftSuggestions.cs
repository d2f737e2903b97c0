using System.Security.Cryptography;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// Turns a <see cref="GoalDraft"/> into a pending suggestion of kind <c>goal</c> (nothing written). Approval goes through
/// <see cref="Applying.SuggestionApprover"/> like every other kind: every file of the draft is new, so it refuses if any
/// of them exists by then with other content (it never overwrites), validates the goal file, writes each file atomically
/// with a recorded version, and removes what it wrote if a later file fails.
/// </summary>
/// <remarks>
/// A suggestion belongs to a run. A goal is drafted before any run exists, so proposing records a zero-case run of mode
/// <see cref="RunModes.GoalDraft"/>, named <c>goal:NAME</c>, for the draft to belong to (goal status only reads <c>full</c>
/// runs, and run lists hide it as an internal run).
/// </remarks>
public sealed class GoalDraftSuggestions(ISuggestionStore suggestions, IRunStore runs, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<Suggestion> ProposeAsync(GoalDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = _time.GetUtcNow();
        var runId = $"goal-draft-{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        await runs.SaveRunAsync(new RunRecord
        {
            Id = runId,
            // Not the drafted experiment's name: this record must never pass for one of that experiment's runs.
            ExperimentName = "goal:" + draft.GoalName,
            ExperimentJson = "{}",
            PromptVersion = "none",
            DatasetName = draft.Dataset ?? "none",
            DatasetVersion = "none",
            Provider = draft.Source,
            Model = draft.Source,
            Status = RunStatus.Completed,
            Mode = RunModes.GoalDraft,
            StartedAt = now,
            FinishedAt = now,
        }, cancellationToken);

        var uncovered = draft.Uncovered.Count == 0 ? "every requirement is covered" : $"uncovered: {string.Join(", ", draft.Uncovered)}";
        return await suggestions.SaveAsync(new Suggestion
        {
            Id = "s-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            RunId = runId,
            ExperimentName = draft.GoalName,
            Kind = SuggestionKinds.Goal,
            Title = $"goal {draft.GoalName}: {draft.Files.Count} new file(s) ({uncovered})",
            Summary = $"Drafted ({draft.Source}) from \"{draft.Description}\"{(draft.Dataset is null ? string.Empty : $" and the dataset {draft.Dataset}")}. Approving writes: {string.Join(", ", draft.Files.Select(f => f.Path))}.",
            ChangeJson = SuggestionJson.Serialize(draft),
            CreatedAt = now,
        }, cancellationToken);
    }

    /// <summary>The draft a goal suggestion carries.</summary>
    public static GoalDraft Read(Suggestion suggestion) => SuggestionJson.Deserialize<GoalDraft>(suggestion.ChangeJson);
}
