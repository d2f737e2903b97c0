namespace EvalLoop.Core.Suggestions;

/// <summary>
/// Stores suggestions with optimistic concurrency. Conveniences such as deciding one are in
/// <see cref="SuggestionStoreExtensions"/>; the audit history of every save is read through <see cref="ISuggestionHistory"/>.
/// </summary>
public interface ISuggestionStore
{
    /// <summary>
    /// Inserts or updates <paramref name="suggestion"/> and appends one <see cref="SuggestionEvent"/> to its history, all
    /// or nothing. <see cref="Suggestion.Revision"/> must be the revision the caller read (0 for a new suggestion); the
    /// stored suggestion, returned, has that revision plus one.
    /// </summary>
    /// <returns>The suggestion as stored, with its new <see cref="Suggestion.Revision"/>.</returns>
    /// <exception cref="SuggestionConcurrencyException">
    /// The stored revision is not <see cref="Suggestion.Revision"/> (someone else saved it first, the id is already taken
    /// by another suggestion, or there is nothing to update); nothing is saved.
    /// </exception>
    /// <exception cref="ArgumentException">The suggestion breaks a rule of <see cref="SuggestionRules.ThrowIfInvalid"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// It would change the status of a suggestion whose status is final, or it refers to a run the store does not
    /// know (a store that knows runs checks this); nothing is saved.
    /// </exception>
    Task<Suggestion> SaveAsync(Suggestion suggestion, CancellationToken cancellationToken = default);

    /// <summary>The suggestion with <paramref name="id"/>, or null.</summary>
    Task<Suggestion?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The suggestions matching <paramref name="query"/>, newest first; equal creation times in reverse order of first save.</summary>
    Task<IReadOnlyList<Suggestion>> ListAsync(SuggestionQuery query, CancellationToken cancellationToken = default);
}
