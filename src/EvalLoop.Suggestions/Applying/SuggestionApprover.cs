using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// Approves or rejects suggestions. Approving writes the change into the file the user owns as a new version: the file
/// is checked against the hash recorded when the suggestion was made (a file changed since, by hand or by another
/// approval, is never overwritten: the approval is refused), written atomically (temp file, then rename) and recorded
/// with the content it replaced in the version history, so every earlier version can be read back and restored. The
/// decision (who, when, why, the version created) goes to the suggestion's audit history. Every kind goes through this
/// one path, goal drafts included (<c>suggestions approve</c>, the service's approve endpoint and <c>goal approve</c>):
/// a suggestion that writes several files writes all of them or none.
/// </summary>
public sealed class SuggestionApprover(
    ISuggestionStore suggestions,
    IFileVersionStore versions,
    ExperimentLoader experiments,
    WorkspaceLayout workspace,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Applies the pending suggestion <paramref name="id"/> and records the approval.</summary>
    /// <exception cref="KeyNotFoundException">No suggestion has that id.</exception>
    /// <exception cref="SuggestionAlreadyDecidedException">It is not pending: someone decided it first (before or during this approval); nothing was written, or what was written is put back.</exception>
    /// <exception cref="SuggestionConcurrencyException">Someone saved the suggestion while this approval stored its decision; the files are put back.</exception>
    /// <exception cref="SuggestionConflictException">
    /// The change does not apply to the workspace as it is: the file changed since the suggestion was made (for a goal
    /// draft: one of its new files exists now with other content), the edit cannot be made as text or would leave a file
    /// that does not load, or its kind cannot be applied automatically; nothing was written.
    /// </exception>
    /// <remarks>
    /// Those three are the refusals (<see cref="SuggestionRefusals.IsRefusal"/>): the suggestion or the workspace is not in
    /// a state this approval can apply to. Anything else (e.g. an <see cref="InvalidOperationException"/> when the
    /// decision could not be stored, after the files were put back, or an I/O error) is a failure of the machinery.
    /// When a later file of a several-file suggestion is refused after earlier ones were written, those are put back and
    /// the exception (of the same kind, the refusal as its inner exception) names each file restored and each that could
    /// not be (one changed since this approval wrote it is left as it is).
    /// </remarks>
    public async Task<ApprovalResult> ApproveAsync(string id, string by, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var suggestion = await RequirePendingAsync(id, approve: true, cancellationToken);
        IReadOnlyList<Edit> edits = suggestion.Kind switch
        {
            SuggestionKinds.Prompt => [await PromptEditAsync(suggestion, cancellationToken)],
            SuggestionKinds.Dataset => [await DatasetEditAsync(suggestion, cancellationToken)],
            SuggestionKinds.Scorer => await ScorerEditsAsync(suggestion, cancellationToken),
            SuggestionKinds.Goal => await GoalEditsAsync(suggestion, cancellationToken),
            _ => throw new SuggestionConflictException($"Suggestion {id} is a {suggestion.Kind} suggestion; those cannot be applied automatically. Make the change by hand and reject it with a reason."),
        };

        var now = _time.GetUtcNow();
        var applied = new List<(Edit Edit, FileVersionChange Change)>();
        try
        {
            foreach (var edit in edits)
            {
                var previous = edit.Version(edit.BaseContent, edit.BaseVersion, null, by, now, edit.BaseExisted ? $"as found before approving {id}" : $"did not exist before approving {id}");
                var next = edit.Version(edit.NewContent, edit.NewVersion, id, by, now, $"approved suggestion {id}: {suggestion.Title}");
                var change = await versions.RecordChangeAsync(previous, next, async token =>
                {
                    // Under the version store's lock: the file and the suggestion are exactly as this approval expects, or nothing is written.
                    var current = await ReadAsync(edit.FullPath, token);
                    if (FileContentHash.Compute(current) != edit.BaseSha256)
                    {
                        throw Changed(suggestion, edit.RelativePath, current == edit.NewContent);
                    }

                    var latest = await suggestions.GetAsync(id, token);
                    if (latest is null)
                    {
                        throw new InvalidOperationException($"Suggestion {id} was deleted during its approval; nothing was written.");
                    }

                    if (latest.Status != SuggestionStatus.Pending)
                    {
                        throw SuggestionAlreadyDecidedException.For(latest, approve: true);
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(edit.FullPath)!);
                    await AtomicFile.WriteAsync(edit.FullPath, edit.NewContent, token);
                }, cancellationToken);
                applied.Add((edit, change));
            }
        }
        catch (Exception ex) when (applied.Count > 0)
        {
            // All the suggestion's files or none: a later file refused, so the earlier ones are put back.
            throw await UndoAsync(applied, id, "a later file of the approval was refused", ex);
        }

        try
        {
            // Not cancellable: the files are written, and a decision abandoned now would leave them changed but pending.
            var decided = await suggestions.DecideAsync(id, approve: true, by, reason, edits[0].NewVersion, _time, CancellationToken.None);
            return new ApprovalResult(decided, applied[0].Change, applied[0].Edit.RelativePath)
            {
                Files = applied.Select(a => new ApprovedFile(a.Edit.RelativePath, a.Change)).ToList(),
            };
        }
        catch (Exception ex)
        {
            // Someone decided the suggestion between our write and our decision (a concurrent rejection), or the decision
            // could not be stored (e.g. a database error): either way the files go back as they were, as recorded versions
            // too, so a file never carries a change nobody approved. UndoAsync keeps the kind of a refusal; anything else
            // is thrown as an InvalidOperationException (a server error to the service's API).
            var why = ex is SuggestionConcurrencyException or SuggestionAlreadyDecidedException
                ? "the approval lost a race with another decision"
                : "the decision could not be recorded";
            throw await UndoAsync(applied, id, why, ex);
        }
    }

    /// <summary>
    /// Puts back, newest first, the files an approval wrote, each as a recorded version (a file that did not exist is
    /// removed), and returns the exception to throw instead of <paramref name="cause"/>: of the same kind, with
    /// <paramref name="cause"/> as its inner exception and a message that says which files were put back and which were
    /// not. A file is put back only while it still holds what this approval wrote; one changed since is someone else's
    /// edit and is left as it is. One file that cannot be put back does not stop the others.
    /// </summary>
    private async Task<Exception> UndoAsync(List<(Edit Edit, FileVersionChange Change)> applied, string id, string why, Exception cause)
    {
        var restored = new List<string>();
        var problems = new List<string>();
        for (var i = applied.Count - 1; i >= 0; i--)
        {
            var (edit, change) = applied[i];
            var undo = change.Next with { Id = 0, Content = edit.BaseContent, Sha256 = edit.BaseSha256, ContentVersion = edit.BaseVersion, SuggestionId = null, Note = $"restored: {why} ({id})" };
            try
            {
                // Cancellation is not passed on: a half-undone approval is worse than a late one.
                await versions.RecordChangeAsync(change.Next, undo, async token =>
                {
                    // Under the version store's lock, like the write it undoes.
                    var current = await ReadAsync(edit.FullPath, token);
                    if (FileContentHash.Compute(current) != change.Next.Sha256)
                    {
                        throw new SuggestionConflictException("it changed after this approval wrote it, so it was left as it is");
                    }

                    if (edit.BaseExisted)
                    {
                        await AtomicFile.WriteAsync(edit.FullPath, edit.BaseContent, token);
                    }
                    else
                    {
                        File.Delete(edit.FullPath);
                    }
                }, CancellationToken.None);
                restored.Add(edit.RelativePath);
            }
            catch (Exception ex)
            {
                // Whatever went wrong (the file, the disk, the database), the other files are still put back and the cause is kept.
                problems.Add($"{edit.RelativePath} was NOT restored ({ex.Message}); it may still hold the change of suggestion {id}: check it, and restore its version {change.Previous.Id} by hand if needed (evalloop versions restore {change.Previous.Id})");
            }
        }

        var message = cause.Message;
        if (restored.Count > 0)
        {
            message += $" Rolled back: {string.Join(", ", restored)} restored to the content before the approval.";
        }

        if (problems.Count > 0)
        {
            message += $" {string.Join("; ", problems)}.";
        }

        return cause switch
        {
            SuggestionConflictException => new SuggestionConflictException(message, cause),
            SuggestionConcurrencyException => new SuggestionConcurrencyException(message, cause),
            SuggestionAlreadyDecidedException decided => new SuggestionAlreadyDecidedException(decided.SuggestionId, decided.Status, message, cause),
            OperationCanceledException canceled => new OperationCanceledException(message, cause, canceled.CancellationToken),
            _ => new InvalidOperationException(message, cause),
        };
    }

    /// <summary>Rejects the pending suggestion <paramref name="id"/>; the reason is required and kept, and the same change is never proposed again.</summary>
    /// <exception cref="KeyNotFoundException">No suggestion has that id.</exception>
    /// <exception cref="SuggestionAlreadyDecidedException">It is not pending: someone decided it first.</exception>
    /// <exception cref="SuggestionConcurrencyException">Someone saved the suggestion while this rejection was stored.</exception>
    public async Task<Suggestion> RejectAsync(string id, string by, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A rejection needs a reason (--reason \"...\"): it is kept with the suggestion so the same change is not proposed again blindly.", nameof(reason));
        }

        await RequirePendingAsync(id, approve: false, cancellationToken);
        return await suggestions.DecideAsync(id, approve: false, by, reason, resultingVersion: null, _time, cancellationToken);
    }

    private async Task<Suggestion> RequirePendingAsync(string id, bool approve, CancellationToken cancellationToken)
    {
        var suggestion = await suggestions.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"There is no suggestion '{id}' (see: evalloop suggestions list).");
        if (suggestion.Status != SuggestionStatus.Pending)
        {
            throw SuggestionAlreadyDecidedException.For(suggestion, approve);
        }

        return suggestion;
    }

    /// <summary>Everything an approval writes: the file, its content before and after, and the versions they stand for.</summary>
    private sealed record Edit(string Kind, string Name, string FullPath, string RelativePath, string BaseContent, string BaseSha256, string? BaseVersion, string NewContent, string NewVersion)
    {
        /// <summary>False when the approval creates the file.</summary>
        public bool BaseExisted { get; init; } = true;

        public FileVersion Version(string content, string? contentVersion, string? suggestionId, string by, DateTimeOffset at, string note) => new()
        {
            Kind = Kind,
            Name = Name,
            Path = RelativePath,
            Sha256 = FileContentHash.Compute(content),
            Content = content,
            ContentVersion = contentVersion,
            SuggestionId = suggestionId,
            CreatedBy = by,
            CreatedAt = at,
            Note = note,
        };
    }

    private async Task<Edit> PromptEditAsync(Suggestion suggestion, CancellationToken cancellationToken)
    {
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var (full, content) = await ReadCheckedAsync(suggestion, change.ExperimentPath, change.BaseFileSha256, cancellationToken);
        string updated;
        try
        {
            updated = YamlTextEditor.ReplacePrompt(content, change.Proposed);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new SuggestionConflictException($"{change.ExperimentPath} cannot be edited ({ex.Message}); nothing was written.", ex);
        }

        var loaded = await ValidateAsync(full, updated, path => experiments.LoadAsync(path, cancellationToken));
        if (loaded.Prompt != change.Proposed)
        {
            throw new SuggestionConflictException($"The edited {change.ExperimentPath} would not load with the proposed prompt; nothing was written.");
        }

        return new Edit(FileVersionKinds.Experiment, suggestion.ExperimentName, full, change.ExperimentPath, content, change.BaseFileSha256, change.BasePromptVersion, updated, change.ProposedPromptVersion);
    }

    private async Task<Edit> DatasetEditAsync(Suggestion suggestion, CancellationToken cancellationToken)
    {
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        var (full, content) = await ReadCheckedAsync(suggestion, change.DatasetPath, change.BaseFileSha256, cancellationToken);
        IReadOnlyList<DatasetCase> cases;
        try
        {
            cases = await JsonlDatasetReader.ReadAsync(full, cancellationToken);
        }
        catch (WorkspaceFileException ex)
        {
            // The dataset no longer reads (edited by hand since): the change cannot apply to it as it is.
            throw new SuggestionConflictException($"{change.DatasetPath} does not read any more, so the change cannot be applied; nothing was written. {ex.Message}", ex);
        }

        string updated;
        try
        {
            updated = JsonlTextEditor.Apply(content, cases, change.Operations);
        }
        catch (InvalidOperationException ex)
        {
            throw new SuggestionConflictException(ex.Message, ex);
        }

        var newCases = await ValidateAsync(full, updated, path => JsonlDatasetReader.ReadAsync(path, cancellationToken));
        return new Edit(FileVersionKinds.Dataset, change.DatasetName, full, change.DatasetPath, content, change.BaseFileSha256, DatasetVersioning.ComputeVersion(cases), updated, DatasetVersioning.ComputeVersion(newCases));
    }

    private async Task<IReadOnlyList<Edit>> ScorerEditsAsync(Suggestion suggestion, CancellationToken cancellationToken)
    {
        var change = SuggestionJson.Deserialize<ScorerChange>(suggestion.ChangeJson);
        if (!change.Adds)
        {
            return [await ScorerEditAsync(suggestion, cancellationToken)];
        }

        // A new scorer for a goal requirement: the experiment gets the scorer, the goal file the coverage mapping; both
        // files must be as they were when the suggestion was made, and both are written (or neither).
        var (full, content) = await ReadCheckedAsync(suggestion, change.FilePath, change.BaseFileSha256, cancellationToken);
        var mapping = new JsonObject { ["name"] = change.ScorerName, ["type"] = change.ScorerType };
        if (change.ThresholdAfter is { } threshold)
        {
            mapping["threshold"] = threshold;
        }

        if (change.OptionsAfter is { } options)
        {
            mapping["options"] = options.DeepClone();
        }

        string updated;
        try
        {
            updated = YamlTextEditor.AppendItem(content, ["scorers"], YamlTextEditor.Flow(mapping));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new SuggestionConflictException($"The scorer cannot be added to {change.FilePath} as text ({ex.Message}); add it by hand: {YamlTextEditor.Flow(mapping)}.", ex);
        }

        var loaded = await ValidateAsync(full, updated, path => experiments.LoadAsync(path, cancellationToken));
        var added = loaded.Scorers.FirstOrDefault(s => s.Name == change.ScorerName && s.Type == change.ScorerType)
            ?? throw new SuggestionConflictException($"The edited {change.FilePath} would not load with the scorer '{change.ScorerName}'; nothing was written.");
        CheckScorer(added.Threshold, added.Options, change);
        var edits = new List<Edit>
        {
            new(FileVersionKinds.Experiment, suggestion.ExperimentName, full, change.FilePath, content, change.BaseFileSha256, null, updated, "sha-" + FileContentHash.Compute(updated)[..12]),
        };

        if (change.Goal is { } goal)
        {
            edits.Add(await GoalCoverageEditAsync(suggestion, goal, change.ScorerName, cancellationToken));
        }

        return edits;
    }

    /// <summary>The goal file with the requirement mapped to the new scorer (and the experiment listed among the goal's experiments).</summary>
    private async Task<Edit> GoalCoverageEditAsync(Suggestion suggestion, GoalCoverageChange goal, string scorer, CancellationToken cancellationToken)
    {
        var (full, content) = await ReadCheckedAsync(suggestion, goal.GoalPath, goal.BaseFileSha256, cancellationToken);
        var definition = ParseGoal(full, content);
        var index = definition.Requirements.Select((r, i) => (r, i)).FirstOrDefault(t => t.r.Id == goal.RequirementId, (null!, -1)).Item2;
        if (index < 0)
        {
            throw new SuggestionConflictException($"{goal.GoalPath} has no requirement '{goal.RequirementId}' any more; nothing was written.");
        }

        var coverage = new JsonArray(new JsonObject { ["experiment"] = goal.Experiment, ["scorer"] = scorer });
        string updated;
        try
        {
            updated = content;
            if (!definition.Experiments.Contains(goal.Experiment, StringComparer.Ordinal))
            {
                var hasList = YamlTextEditor.Load(updated).Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("experiments"), out var list)
                    && list is YamlDotNet.RepresentationModel.YamlSequenceNode;
                updated = hasList
                    ? YamlTextEditor.AppendItem(updated, ["experiments"], goal.Experiment)
                    : YamlTextEditor.SetFlowValue(updated, [], "experiments", $"[{goal.Experiment}]");
            }

            updated = YamlTextEditor.SetItemFlowValue(updated, ["requirements"], index, "covered_by", YamlTextEditor.Flow(coverage));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new SuggestionConflictException($"The coverage cannot be written into {goal.GoalPath} as text ({ex.Message}); add it by hand to requirement '{goal.RequirementId}': covered_by: {YamlTextEditor.Flow(coverage)}.", ex);
        }

        var after = ParseGoal(full, updated);
        if (after.Requirements[index].CoveredBy is not [var mapped] || mapped.Experiment != goal.Experiment || mapped.Scorer != scorer)
        {
            throw new SuggestionConflictException($"The edited {goal.GoalPath} would not map '{goal.RequirementId}' to '{scorer}'; nothing was written.");
        }

        return new Edit(FileVersionKinds.Goal, goal.GoalName, full, goal.GoalPath, content, goal.BaseFileSha256, null, updated, "sha-" + FileContentHash.Compute(updated)[..12]);
    }

    private static GoalDefinition ParseGoal(string path, string content)
    {
        try
        {
            return GoalLoader.Parse(path, content);
        }
        catch (WorkspaceFileException ex)
        {
            throw new SuggestionConflictException($"The goal file would not load ({ex.Problem}); nothing was written.", ex);
        }
    }

    /// <summary>
    /// The files of a goal draft, all new: a file that exists by now with other content is a conflict (nothing is
    /// written); one that exists with exactly the drafted content is written again unchanged. The goal file must parse.
    /// </summary>
    private async Task<IReadOnlyList<Edit>> GoalEditsAsync(Suggestion suggestion, CancellationToken cancellationToken)
    {
        var draft = SuggestionJson.Deserialize<GoalDraft>(suggestion.ChangeJson);
        var goalPath = $"experiments/{GoalLoader.DirectoryName}/{draft.GoalName}.yaml";
        if (!draft.Files.Any(f => f.Path == goalPath))
        {
            throw new InvalidOperationException($"Goal draft {suggestion.Id} has no {goalPath}; nothing was written.");
        }

        var edits = new List<Edit>();
        foreach (var file in draft.Files)
        {
            var full = Path.GetFullPath(file.Path, workspace.Root);
            if (!full.StartsWith(workspace.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file.Path} is outside the workspace; nothing was written.");
            }

            var existed = File.Exists(full);
            var current = await ReadAsync(full, cancellationToken);
            if (existed && current != file.Content)
            {
                throw new SuggestionConflictException($"{file.Path} exists now with other content; approving goal draft {suggestion.Id} would overwrite it, so nothing was written. Draft the goal again (evalloop goal new) or move that file away.");
            }

            var (kind, name) = GoalDraftFileKind(file.Path, draft.GoalName);
            edits.Add(new Edit(kind, name, full, file.Path, current, FileContentHash.Compute(current), null, file.Content, "sha-" + FileContentHash.Compute(file.Content)[..12]) { BaseExisted = existed });
        }

        var goal = edits.Single(e => e.RelativePath == goalPath);
        try
        {
            GoalLoader.Parse(goal.FullPath, goal.NewContent);
        }
        catch (WorkspaceFileException ex)
        {
            throw new SuggestionConflictException($"The drafted goal file would not load ({ex.Message}); nothing was written.", ex);
        }

        // The goal file first: it is the version the suggestion records (its content hash), and the first file shown.
        return [goal, .. edits.Where(e => e != goal)];
    }

    /// <summary>How a goal draft's file is kept in the version history: its kind, and the name its versions go under.</summary>
    internal static (string Kind, string Name) GoalDraftFileKind(string relativePath, string goalName) =>
        relativePath.StartsWith("scorers/", StringComparison.Ordinal) ? (FileVersionKinds.Scorer, Path.GetFileNameWithoutExtension(relativePath))
        : relativePath.StartsWith($"experiments/{GoalLoader.DirectoryName}/", StringComparison.Ordinal) ? (FileVersionKinds.Goal, goalName)
        : relativePath.StartsWith("datasets/", StringComparison.Ordinal) ? (FileVersionKinds.Dataset, Path.GetFileNameWithoutExtension(relativePath))
        : (FileVersionKinds.Experiment, Path.GetFileNameWithoutExtension(relativePath));

    private async Task<Edit> ScorerEditAsync(Suggestion suggestion, CancellationToken cancellationToken)
    {
        var change = SuggestionJson.Deserialize<ScorerChange>(suggestion.ChangeJson);
        var (full, content) = await ReadCheckedAsync(suggestion, change.FilePath, change.BaseFileSha256, cancellationToken);
        string updated;
        if (!change.Inline)
        {
            updated = content;
            if (change.ThresholdAfter is { } threshold && threshold != change.ThresholdBefore)
            {
                updated = EditText(change.FilePath, () => YamlTextEditor.SetFlowValue(updated, [], "threshold", YamlTextEditor.Number(threshold)));
            }

            if (change.OptionsAfter is { } options && !JsonNode.DeepEquals(options, change.OptionsBefore))
            {
                updated = EditText(change.FilePath, () => YamlTextEditor.SetFlowValue(updated, [], "options", YamlTextEditor.Flow(options)));
            }

            var loaded = await ValidateAsync(full, updated, path => experiments.LoadScorerAsync(path, cancellationToken));
            CheckScorer(loaded.Threshold, loaded.Options, change);
        }
        else
        {
            var index = InlineScorerIndex(content, change.ScorerName)
                ?? throw new SuggestionConflictException($"Scorer '{change.ScorerName}' is not a plain list item of 'scorers' in {change.FilePath}; set its options by hand: {YamlTextEditor.Flow(change.OptionsAfter)}.");
            var mapping = new JsonObject { ["name"] = change.ScorerName, ["type"] = change.ScorerType };
            if (change.ThresholdAfter is { } threshold)
            {
                mapping["threshold"] = threshold;
            }

            if (change.OptionsAfter is { } options)
            {
                mapping["options"] = options.DeepClone();
            }

            updated = EditText(change.FilePath, () => YamlTextEditor.ReplaceScalarItem(content, ["scorers"], index, YamlTextEditor.Flow(mapping)));
            var loaded = await ValidateAsync(full, updated, path => experiments.LoadAsync(path, cancellationToken));
            var scorer = loaded.Scorers.FirstOrDefault(s => s.Name == change.ScorerName)
                ?? throw new SuggestionConflictException($"The edited {change.FilePath} lost the scorer '{change.ScorerName}'; nothing was written.");
            CheckScorer(scorer.Threshold, scorer.Options, change);
        }

        var newSha = FileContentHash.Compute(updated);
        return new Edit(change.Inline ? FileVersionKinds.Experiment : FileVersionKinds.Scorer, change.Inline ? suggestion.ExperimentName : change.ScorerName, full, change.FilePath, content, change.BaseFileSha256, null, updated, "sha-" + newSha[..12]);
    }

    /// <summary>Makes a text edit of <paramref name="path"/>; an edit the text editor refuses is a conflict (nothing is written), not a failure.</summary>
    private static string EditText(string path, Func<string> edit)
    {
        try
        {
            return edit();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new SuggestionConflictException($"{path} cannot be edited as text ({ex.Message}); make the change by hand. Nothing was written.", ex);
        }
    }

    private static void CheckScorer(double? threshold, JsonElement? options, ScorerChange change)
    {
        var loadedOptions = options is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText()) : null;
        if (threshold != (change.ThresholdAfter ?? change.ThresholdBefore) || (change.OptionsAfter is not null && !JsonNode.DeepEquals(loadedOptions, change.OptionsAfter)))
        {
            throw new SuggestionConflictException($"The edited {change.FilePath} would not load with the proposed scorer settings; nothing was written.");
        }
    }

    private static int? InlineScorerIndex(string yaml, string name)
    {
        var root = YamlTextEditor.Load(yaml);
        if (!root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("scorers"), out var node) || node is not YamlDotNet.RepresentationModel.YamlSequenceNode list)
        {
            return null;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlDotNet.RepresentationModel.YamlScalarNode { Value: var value } && value == name)
            {
                return i;
            }
        }

        return null;
    }

    private async Task<(string FullPath, string Content)> ReadCheckedAsync(Suggestion suggestion, string relativePath, string baseSha256, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(relativePath, workspace.Root);
        var content = await ReadAsync(full, cancellationToken);
        if (FileContentHash.Compute(content) != baseSha256)
        {
            throw Changed(suggestion, relativePath, alreadyApplied: false);
        }

        return (full, content);
    }

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : string.Empty;

    private static SuggestionConflictException Changed(Suggestion suggestion, string path, bool alreadyApplied) => new(alreadyApplied
        ? $"{path} already contains the change of suggestion {suggestion.Id} (approved at the same time by someone else?); nothing was written."
        : $"{path} has changed since suggestion {suggestion.Id} was made (by hand, or by another approved suggestion); approving it would overwrite that change, so nothing was written. Run the experiment again and ask for new suggestions: evalloop suggest RUN_ID.");

    /// <summary>Writes <paramref name="content"/> to a temp file beside <paramref name="path"/> and loads it as the real file would be loaded.</summary>
    private static async Task<T> ValidateAsync<T>(string path, string content, Func<string, Task<T>> load)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}{Path.GetExtension(path)}");
        try
        {
            await File.WriteAllTextAsync(temp, content);
            return await load(temp);
        }
        catch (WorkspaceFileException ex)
        {
            throw new SuggestionConflictException($"The edited file would not load ({ex.Problem}); nothing was written.", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
