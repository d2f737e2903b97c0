namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// An approval was refused because the change does not apply to the workspace as it is: the file it edits changed since
/// the suggestion was made (by a person, or by another approved suggestion), a case it names is gone, the edit cannot be
/// made as text or would leave a file that does not load, or its kind cannot be applied automatically. Nothing was
/// written. A refusal, not a failure (<see cref="SuggestionRefusals"/>).
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
