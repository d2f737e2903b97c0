using EvalLoop.Core.Suggestions;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;
using EvalLoop.Suggestions.Applying;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Api;

/// <summary>
/// Approve and reject for both the API and the UI, with one mapping of outcomes: applied; not found; invalid (the
/// request lacks something, e.g. a rejection's reason); conflict (a refusal, <see cref="SuggestionRefusals.IsRefusal"/>:
/// decided by someone else first, or its change does not apply to the files as they are now); or failed (anything
/// else: the store, the disk, a bug), which is logged here with the suggestion's id and reported to the caller with
/// <see cref="FailedMessage"/> only. Of two simultaneous approvals exactly one applies.
/// </summary>
/// <remarks>
/// Decisions through one service take turns (they are rare and quick: a re-run is queued, not awaited), so the second of
/// two simultaneous approvals finds the first one recorded and its 409 says who approved, instead of finding the file
/// already changed while the suggestion is not yet marked approved. Across processes (a CLI approving at the same time)
/// the approver's own checks still let exactly one apply.
/// </remarks>
public sealed partial class SuggestionDecisions(EvalLoopServices services, ExperimentSchedules schedules, ILogger<SuggestionDecisions> logger) : IDisposable
{
    /// <summary>What a caller is told about a failed decision: no exception text, which is for the service's log.</summary>
    public const string FailedMessage = "The decision could not be completed because of an error in the service; it is in the service's log. Reload the suggestion to see its state before trying again.";

    private readonly SemaphoreSlim _turn = new(1, 1);

    public void Dispose() => _turn.Dispose();

    /// <summary>Approves <paramref name="id"/>; with <paramref name="rerun"/>, queues a run of its experiment on the new version.</summary>
    public async Task<DecisionOutcome> ApproveAsync(string id, string by, string? reason, bool rerun, CancellationToken cancellationToken = default)
    {
        if (Invalid(id, by) is { } invalid)
        {
            return invalid;
        }

        ApprovalResult result;
        await _turn.WaitAsync(cancellationToken);
        try
        {
            result = await services.Approver.ApproveAsync(id, by, reason, cancellationToken);
        }
        catch (Exception ex) when (!IsCancelled(ex, cancellationToken))
        {
            return await RefusedOrFailedAsync(id, "approval", ex, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }

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

    /// <summary>
    /// What a re-run after approval runs: for a goal draft the experiments it wrote (<see cref="ApprovalResult.DraftedExperiments"/>,
    /// as the CLI does), else the suggestion's experiment.
    /// </summary>
    private static IEnumerable<string> ExperimentsToRerun(ApprovalResult result) =>
        result.Suggestion.Kind == SuggestionKinds.Goal ? result.DraftedExperiments.Select(f => f.Name) : [result.Suggestion.ExperimentName];

    /// <summary>Rejects <paramref name="id"/> with <paramref name="reason"/> (required: without one the outcome is <see cref="DecisionStatus.Invalid"/>).</summary>
    public async Task<DecisionOutcome> RejectAsync(string id, string by, string? reason, CancellationToken cancellationToken = default)
    {
        if (Invalid(id, by) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new DecisionOutcome(DecisionStatus.Invalid, null, "A rejection needs a reason (\"reason\"): it is kept with the suggestion so the same change is not proposed again blindly.", false);
        }

        await _turn.WaitAsync(cancellationToken);
        try
        {
            var rejected = await services.Approver.RejectAsync(id, by, reason, cancellationToken);
            return new DecisionOutcome(DecisionStatus.Applied, rejected, null, false);
        }
        catch (Exception ex) when (!IsCancelled(ex, cancellationToken))
        {
            return await RefusedOrFailedAsync(id, "rejection", ex, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private static DecisionOutcome? Invalid(string id, string by) =>
        string.IsNullOrWhiteSpace(id) ? new DecisionOutcome(DecisionStatus.Invalid, null, "A decision needs the suggestion's id.", false)
        : string.IsNullOrWhiteSpace(by) ? new DecisionOutcome(DecisionStatus.Invalid, null, "A decision needs who makes it (\"by\").", false)
        : null;

    /// <summary>The caller gave up (the request was aborted): nothing to answer, and not a failure to log.</summary>
    private static bool IsCancelled(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>
    /// A refusal is a conflict (its message says why, and the suggestion as stored now says who decided); a missing
    /// suggestion is not found only when it really is not stored (a <see cref="KeyNotFoundException"/> from elsewhere is
    /// a failure); everything else is a failure, logged with the suggestion's id and its exception.
    /// </summary>
    private async Task<DecisionOutcome> RefusedOrFailedAsync(string id, string decision, Exception ex, CancellationToken cancellationToken)
    {
        if (SuggestionRefusals.IsRefusal(ex))
        {
            return new DecisionOutcome(DecisionStatus.Conflict, await services.Suggestions.GetAsync(id, cancellationToken), ex.Message, false);
        }

        if (ex is KeyNotFoundException && await services.Suggestions.GetAsync(id, cancellationToken) is null)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null, $"There is no suggestion '{id}'.", false);
        }

        LogDecisionFailed(logger, ex, decision, id);
        return new DecisionOutcome(DecisionStatus.Failed, null, FailedMessage, false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Decision} of suggestion {SuggestionId} failed")]
    private static partial void LogDecisionFailed(ILogger logger, Exception exception, string decision, string suggestionId);
}

/// <summary>How a decision ended.</summary>
public enum DecisionStatus
{
    /// <summary>Approved or rejected as asked.</summary>
    Applied,

    /// <summary>No suggestion has the id.</summary>
    NotFound,

    /// <summary>Refused: someone decided first, or the change does not apply to the files as they are now.</summary>
    Conflict,

    /// <summary>The request lacks something it needs (a rejection's reason); nothing was tried.</summary>
    Invalid,

    /// <summary>An error in the service (logged); the caller is told no more than <see cref="SuggestionDecisions.FailedMessage"/>.</summary>
    Failed,
}

/// <summary>
/// The outcome of a decision: the suggestion as stored now, and unless applied what to tell the caller (for a conflict
/// why, e.g. who decided first; for a failure only <see cref="SuggestionDecisions.FailedMessage"/>).
/// </summary>
public sealed record DecisionOutcome(DecisionStatus Status, Suggestion? Suggestion, string? Error, bool RerunQueued);
