namespace EvalLoop.Core.Suggestions;

public static class SuggestionStoreExtensions
{
    /// <summary>
    /// Approves or rejects the pending suggestion <paramref name="id"/>: loads it, checks that it is still pending, and
    /// saves the decision (who, why, when, and for an approval the version it created) at the revision it loaded.
    /// </summary>
    /// <param name="approve">True to approve, false to reject.</param>
    /// <param name="by">Who decided; required.</param>
    /// <param name="reason">Why, in their words; optional.</param>
    /// <param name="resultingVersion">For an approval, the version the change created (may come later); null for a rejection.</param>
    /// <param name="timeProvider">Stamps <see cref="Suggestion.DecidedAt"/>.</param>
    /// <returns>The suggestion as stored with the decision.</returns>
    /// <exception cref="KeyNotFoundException">No suggestion has <paramref name="id"/>.</exception>
    /// <exception cref="SuggestionAlreadyDecidedException">The suggestion is not pending (it was already decided or superseded).</exception>
    /// <exception cref="SuggestionConcurrencyException">
    /// Someone else saved the suggestion between the load and the save (another reviewer deciding at the same time);
    /// their save stands and this decision is not stored. Reloading shows what they did.
    /// </exception>
    public static async Task<Suggestion> DecideAsync(
        this ISuggestionStore store,
        string id,
        bool approve,
        string by,
        string? reason,
        string? resultingVersion,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!approve && resultingVersion is not null)
        {
            throw new ArgumentException("A rejected suggestion creates no version; pass no resulting version.", nameof(resultingVersion));
        }

        var suggestion = await store.GetAsync(id, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no suggestion '{id}'.");
        if (suggestion.Status != SuggestionStatus.Pending)
        {
            throw SuggestionAlreadyDecidedException.For(suggestion, approve);
        }

        return await store.SaveAsync(
            suggestion with
            {
                Status = approve ? SuggestionStatus.Approved : SuggestionStatus.Rejected,
                DecidedAt = timeProvider.GetUtcNow(),
                DecidedBy = by,
                DecisionReason = reason,
                ResultingVersion = resultingVersion,
            },
            cancellationToken);
    }
}
