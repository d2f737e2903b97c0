using System.Security.Cryptography;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// Turns a <see cref="GoalDraft"/> into a pending suggestion of kind <c>goal</c> (nothing written), and applies one on
/// approval: every file of the draft is new, so approval refuses if any of them exists by then (it never overwrites),
/// validates the goal file, and writes each file atomically; a failure part-way removes the files it wrote.
/// </summary>
/// <remarks>
/// A suggestion belongs to a run. A goal is drafted before any run exists, so proposing records a zero-case run of mode
/// <see cref="DraftRunMode"/>, named <c>goal:NAME</c>, for the draft to belong to (goal status only reads <c>full</c> runs).
/// </remarks>
public sealed class GoalDraftSuggestions(ISuggestionStore suggestions, IRunStore runs, WorkspaceLayout workspace, TimeProvider? timeProvider = null)
{
    /// <summary>The mode of the run record a goal draft belongs to.</summary>
    public const string DraftRunMode = "goal-draft";

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
            Mode = DraftRunMode,
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

    /// <summary>Writes the files of the pending goal suggestion <paramref name="id"/> and records the approval.</summary>
    /// <exception cref="KeyNotFoundException">No suggestion has that id.</exception>
    /// <exception cref="InvalidOperationException">It is not a pending goal suggestion, or its files cannot be written.</exception>
    public async Task<Suggestion> ApproveAsync(string id, string by, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var suggestion = await suggestions.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"There is no suggestion '{id}' (see: evalloop suggestions list).");
        if (suggestion.Kind != SuggestionKinds.Goal)
        {
            throw new InvalidOperationException($"Suggestion {id} is a {suggestion.Kind} suggestion; approve it with: evalloop suggestions approve {id}");
        }

        if (suggestion.Status != SuggestionStatus.Pending)
        {
            throw new InvalidOperationException($"Suggestion {id} is already {suggestion.Status}; only a {SuggestionStatus.Pending} suggestion can be approved.");
        }

        var draft = Read(suggestion);
        var targets = draft.Files.Select(f => (File: f, FullPath: Resolve(f.Path))).ToList();
        foreach (var (file, full) in targets)
        {
            if (File.Exists(full))
            {
                throw new InvalidOperationException($"{file.Path} exists now; approving would overwrite it, so nothing was written. Draft the goal again: evalloop goal new.");
            }
        }

        var goal = targets.First(t => t.File.Path.StartsWith($"experiments/{GoalLoader.DirectoryName}/", StringComparison.Ordinal));
        try
        {
            GoalLoader.Parse(goal.FullPath, goal.File.Content);
        }
        catch (WorkspaceFileException ex)
        {
            throw new InvalidOperationException($"The drafted goal file would not load ({ex.Message}); nothing was written.", ex);
        }

        var written = new List<string>();
        try
        {
            foreach (var (file, full) in targets)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await AtomicFile.WriteAsync(full, file.Content, cancellationToken);
                written.Add(full);
            }

            return await suggestions.DecideAsync(id, approve: true, by, reason, "sha-" + FileContentHash.Compute(goal.File.Content)[..12], _time, cancellationToken);
        }
        catch
        {
            // All the draft's files or none: a goal whose experiment is missing would be a half-written plan.
            foreach (var full in written)
            {
                File.Delete(full);
            }

            throw;
        }
    }

    private string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(relativePath, workspace.Root);
        return full.StartsWith(workspace.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new InvalidOperationException($"{relativePath} is outside the workspace; nothing was written.");
    }
}
