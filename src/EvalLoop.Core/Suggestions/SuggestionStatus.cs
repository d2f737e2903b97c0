namespace EvalLoop.Core.Suggestions;

/// <summary>
/// Lifecycle of a <see cref="Suggestion"/>: it is created <see cref="Pending"/>, and leaves that state once, for
/// <see cref="Approved"/> or <see cref="Rejected"/> (a human decision) or <see cref="Superseded"/> (a newer suggestion
/// replaced it before anyone decided). The three states after <see cref="Pending"/> are final.
/// </summary>
public static class SuggestionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Superseded = "superseded";

    /// <summary>Every status, in lifecycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Approved, Rejected, Superseded];

    /// <summary>Whether <paramref name="status"/> is one of <see cref="All"/> (ordinal, case-sensitive).</summary>
    public static bool IsKnown(string? status) => status is Pending or Approved or Rejected or Superseded;

    /// <summary>Whether a suggestion in <paramref name="status"/> can no longer change status.</summary>
    public static bool IsFinal(string status) => status is Approved or Rejected or Superseded;

    /// <summary>Whether <paramref name="status"/> is a human decision, which names who decided and when.</summary>
    public static bool IsDecision(string status) => status is Approved or Rejected;
}
