using EvalLoop.Core.Suggestions;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// Tells a decision that was refused (a conflict: the caller can do nothing but look again) from one that failed (a
/// fault of the machinery: storage, disk, a bug). Every host maps them the same way: the service's API answers 409 or
/// 500, its UI shows the refusal or an error page, the CLI exits with a usage or a runtime error.
/// </summary>
public static class SuggestionRefusals
{
    /// <summary>
    /// True for the refusals of <see cref="SuggestionApprover"/>: the suggestion was decided first
    /// (<see cref="SuggestionAlreadyDecidedException"/>), saved by someone else meanwhile
    /// (<see cref="SuggestionConcurrencyException"/>), or its change does not apply to the workspace as it is
    /// (<see cref="SuggestionConflictException"/>). Nothing else is a refusal, an <see cref="InvalidOperationException"/>
    /// as a whole included.
    /// </summary>
    public static bool IsRefusal(Exception exception) =>
        exception is SuggestionConflictException or SuggestionConcurrencyException or SuggestionAlreadyDecidedException;
}
