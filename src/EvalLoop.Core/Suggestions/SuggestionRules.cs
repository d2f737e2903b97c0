namespace EvalLoop.Core.Suggestions;

/// <summary>
/// The rules every <see cref="ISuggestionStore"/> enforces on a save, in one place so that every implementation (and
/// every fake) rejects the same suggestions with the same messages.
/// </summary>
public static class SuggestionRules
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless: the id, run id, experiment name, title and change are not blank;
    /// the kind and status are known; the revision is not negative; no cluster id is blank; an approved or rejected
    /// suggestion names who decided and when; and only an approved one has a resulting version.
    /// </summary>
    public static void ThrowIfInvalid(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        const string Param = nameof(suggestion);
        Require(suggestion.Id, nameof(Suggestion.Id));
        Require(suggestion.RunId, nameof(Suggestion.RunId));
        Require(suggestion.ExperimentName, nameof(Suggestion.ExperimentName));
        Require(suggestion.Title, nameof(Suggestion.Title));
        Require(suggestion.ChangeJson, nameof(Suggestion.ChangeJson));
        if (suggestion.Summary is null)
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' has no {nameof(Suggestion.Summary)}.", Param);
        }

        if (!SuggestionKinds.IsKnown(suggestion.Kind))
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' has kind '{suggestion.Kind}'; expected one of {string.Join(", ", SuggestionKinds.All)}.", Param);
        }

        if (!SuggestionStatus.IsKnown(suggestion.Status))
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' has status '{suggestion.Status}'; expected one of {string.Join(", ", SuggestionStatus.All)}.", Param);
        }

        if (suggestion.Revision < 0)
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' has revision {suggestion.Revision}; a revision is 0 (never saved) or more.", Param);
        }

        if (suggestion.ClusterIds is null || suggestion.ClusterIds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' has a missing or blank cluster id.", Param);
        }

        if (SuggestionStatus.IsDecision(suggestion.Status) && (string.IsNullOrWhiteSpace(suggestion.DecidedBy) || suggestion.DecidedAt is null))
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' is {suggestion.Status} but does not say who decided and when ({nameof(Suggestion.DecidedBy)}, {nameof(Suggestion.DecidedAt)}).", Param);
        }

        if (suggestion.ResultingVersion is not null && suggestion.Status != SuggestionStatus.Approved)
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' is {suggestion.Status} but has a resulting version; only an approved suggestion creates one.", Param);
        }

        void Require(string value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"Suggestion '{suggestion.Id}' has no {field}.", Param);
            }
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> unless a save may move suggestion <paramref name="id"/> from
    /// <paramref name="fromStatus"/> (null when it is being created) to <paramref name="toStatus"/>: a suggestion is
    /// created pending, and a final status never changes (that refusal is a <see cref="SuggestionAlreadyDecidedException"/>).
    /// </summary>
    public static void ThrowIfTransitionNotAllowed(string id, string? fromStatus, string toStatus)
    {
        if (fromStatus is null && toStatus != SuggestionStatus.Pending)
        {
            throw new InvalidOperationException($"Suggestion '{id}' cannot be created {toStatus}: a suggestion is created {SuggestionStatus.Pending} and decided afterwards.");
        }

        if (fromStatus is not null && fromStatus != toStatus && SuggestionStatus.IsFinal(fromStatus))
        {
            throw new SuggestionAlreadyDecidedException(id, fromStatus, $"Suggestion '{id}' is already {fromStatus} and cannot become {toStatus}; create a new suggestion instead.");
        }
    }

    /// <summary>The exception a store throws for a suggestion whose run it does not know.</summary>
    public static InvalidOperationException UnknownRun(Suggestion suggestion, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return new InvalidOperationException($"Suggestion '{suggestion.Id}' refers to run '{suggestion.RunId}', which is not stored.", innerException);
    }
}
