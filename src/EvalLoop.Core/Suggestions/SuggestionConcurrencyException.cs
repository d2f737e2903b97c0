namespace EvalLoop.Core.Suggestions;

/// <summary>
/// A save carried a revision that is not the stored one: someone else saved the suggestion since it was read (reload it
/// and decide again), the id of a new suggestion is taken, or a suggestion to update does not exist.
/// </summary>
public sealed class SuggestionConcurrencyException : Exception
{
    public SuggestionConcurrencyException()
        : this("The suggestion was saved by someone else since it was read.")
    {
    }

    public SuggestionConcurrencyException(string message)
        : base(message)
    {
        SuggestionId = string.Empty;
    }

    public SuggestionConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
        SuggestionId = string.Empty;
    }

    /// <param name="expectedRevision">The revision the save carried.</param>
    /// <param name="actualRevision">The stored revision; 0 when nothing is stored under the id.</param>
    public SuggestionConcurrencyException(string suggestionId, int expectedRevision, int actualRevision)
        : base(Describe(suggestionId, expectedRevision, actualRevision))
    {
        SuggestionId = suggestionId;
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    public string SuggestionId { get; }

    /// <summary>The revision the save carried.</summary>
    public int ExpectedRevision { get; }

    /// <summary>The stored revision; 0 when nothing is stored under the id.</summary>
    public int ActualRevision { get; }

    private static string Describe(string id, int expected, int actual) => (expected, actual) switch
    {
        (0, _) => $"Cannot create suggestion '{id}': a suggestion with that id already exists (revision {actual}).",
        (_, 0) => $"Cannot update suggestion '{id}' at revision {expected}: it does not exist.",
        _ => $"Suggestion '{id}' was saved by someone else: it is at revision {actual}, not {expected}. Reload it and try again.",
    };
}
