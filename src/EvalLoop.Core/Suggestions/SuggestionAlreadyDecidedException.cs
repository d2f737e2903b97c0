namespace EvalLoop.Core.Suggestions;

/// <summary>
/// A decision was refused because the suggestion is no longer pending: someone approved or rejected it first (or it was
/// superseded). Nothing was stored; reloading the suggestion shows who decided and when. It is an
/// <see cref="InvalidOperationException"/> (the operation is invalid in the suggestion's current state), but callers that
/// tell a conflict from a failure catch this type, never <see cref="InvalidOperationException"/> as a whole.
/// </summary>
public sealed class SuggestionAlreadyDecidedException : InvalidOperationException
{
    public SuggestionAlreadyDecidedException()
        : this("The suggestion is no longer pending: it was already decided.")
    {
    }

    public SuggestionAlreadyDecidedException(string message)
        : base(message)
    {
        SuggestionId = string.Empty;
        Status = string.Empty;
    }

    public SuggestionAlreadyDecidedException(string message, Exception innerException)
        : base(message, innerException)
    {
        SuggestionId = string.Empty;
        Status = string.Empty;
    }

    /// <param name="suggestionId">The suggestion that was decided first.</param>
    /// <param name="status">Its status now.</param>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="innerException">The refusal this one reports, if it wraps one.</param>
    public SuggestionAlreadyDecidedException(string suggestionId, string status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SuggestionId = suggestionId;
        Status = status;
    }

    /// <summary>The suggestion that was decided first; empty when not known.</summary>
    public string SuggestionId { get; }

    /// <summary>Its status now (approved, rejected, superseded); empty when not known.</summary>
    public string Status { get; }

    /// <summary>The refusal to decide <paramref name="suggestion"/>, which is not pending: it names who decided it and when.</summary>
    /// <param name="approve">True when the refused decision was an approval, false for a rejection.</param>
    public static SuggestionAlreadyDecidedException For(Suggestion suggestion, bool approve)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        var by = suggestion.DecidedBy is null
            ? string.Empty
            : $" by {suggestion.DecidedBy}{(suggestion.DecidedAt is { } at ? $" at {at:u}" : string.Empty)}";
        return new SuggestionAlreadyDecidedException(
            suggestion.Id,
            suggestion.Status,
            $"Suggestion '{suggestion.Id}' is already {suggestion.Status}{by}; only a {SuggestionStatus.Pending} suggestion can be {(approve ? "approved" : "rejected")}.");
    }
}
