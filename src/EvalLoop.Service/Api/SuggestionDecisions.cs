using EvalLoop.Core.Suggestions;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;
using EvalLoop.Suggestions.Applying;

namespace EvalLoop.Service.Api;

/// <summary>
/// Approve and reject for both the API and the UI, with one mapping of outcomes: applied, not found, or conflict (it
/// was decided by someone else first, or its file changed since). Of two simultaneous approvals exactly one applies.
/// </summary>
public sealed class SuggestionDecisions(EvalLoopServices services, ExperimentSchedules schedules)
{
    /// <summary>Approves <paramref name="id"/>; with <paramref name="rerun"/>, queues a run of its experiment on the new version.</summary>
    public async Task<DecisionOutcome> ApproveAsync(string id, string by, string? reason, bool rerun, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await services.Approver.ApproveAsync(id, by, reason, cancellationToken);
            var queued = false;
            if (rerun)
            {
                foreach (var experiment in ExperimentsToRerun(result))
                {
                    queued |= await schedules.TriggerAsync(experiment, cancellationToken);
                }
            }

            return new DecisionOutcome(DecisionStatus.Applied, result.Suggestion, null, queued);
        }
        catch (KeyNotFoundException ex)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null, ex.Message, false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or SuggestionConcurrencyException or SuggestionConflictException)
        {
            return new DecisionOutcome(DecisionStatus.Conflict, await services.Suggestions.GetAsync(id, cancellationToken), ex.Message, false);
        }
    }

    /// <summary>
    /// What a re-run after approval runs: for a goal draft the experiments it wrote (<see cref="ApprovalResult.DraftedExperiments"/>,
    /// as the CLI does), else the suggestion's experiment.
    /// </summary>
    private static IEnumerable<string> ExperimentsToRerun(ApprovalResult result) =>
        result.Suggestion.Kind == SuggestionKinds.Goal ? result.DraftedExperiments.Select(f => f.Name) : [result.Suggestion.ExperimentName];

    /// <summary>Rejects <paramref name="id"/> with <paramref name="reason"/> (required).</summary>
    public async Task<DecisionOutcome> RejectAsync(string id, string by, string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            var rejected = await services.Approver.RejectAsync(id, by, reason, cancellationToken);
            return new DecisionOutcome(DecisionStatus.Applied, rejected, null, false);
        }
        catch (KeyNotFoundException ex)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null, ex.Message, false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or SuggestionConcurrencyException)
        {
            return new DecisionOutcome(DecisionStatus.Conflict, await services.Suggestions.GetAsync(id, cancellationToken), ex.Message, false);
        }
    }
}

/// <summary>How a decision ended.</summary>
public enum DecisionStatus
{
    Applied,
    NotFound,
    Conflict,
}

/// <summary>The outcome of a decision: the suggestion as stored now, and for a conflict why (who decided first).</summary>
public sealed record DecisionOutcome(DecisionStatus Status, Suggestion? Suggestion, string? Error, bool RerunQueued);
