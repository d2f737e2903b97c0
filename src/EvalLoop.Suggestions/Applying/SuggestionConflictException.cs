namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// An approval was refused because the change no longer applies: the file it edits changed since the suggestion was
/// made (by a person, or by another approved suggestion), or a case it names is gone. Nothing was written.
/// </summary>
public sealed class SuggestionConflictException : Exception
{
    public SuggestionConflictException()
    {
    }

    public SuggestionConflictException(string message)
        : base(message)
    {
    }

    public SuggestionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
