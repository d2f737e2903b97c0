namespace EvalLoop.Core.Runs;

/// <summary>
/// Every value of <see cref="RunRecord.Mode"/>: what a run was made for. A user's runs are <see cref="Full"/> and
/// <see cref="RerunFailed"/>; everything else is internal (the suggester's analysis and verification runs, and the
/// zero-case run a goal draft belongs to) and is hidden wherever runs are listed for a user unless they ask for all.
/// </summary>
/// <remarks>
/// <see cref="IsUserRun"/> is a closed list on purpose: a mode it does not know (a new internal mode, or one written by an
/// older version) is treated as internal, so it can never pass for a user's latest run. A new user-facing mode must be
/// added to <see cref="User"/>.
/// </remarks>
public static class RunModes
{
    /// <summary>A user's run of an experiment on its dataset.</summary>
    public const string Full = "full";

    /// <summary>A user's re-run of only the failed or errored results of its parent run.</summary>
    public const string RerunFailed = "rerun-failed";

    /// <summary>The suggester's run of the current prompt on the analysis half.</summary>
    public const string SuggestAnalysis = "suggest-analysis";

    /// <summary>The suggester's run of the current prompt on the verification half (the baseline every candidate is compared with).</summary>
    public const string VerifyBaseline = "verify-baseline";

    /// <summary>The suggester's run of a candidate prompt on the verification half.</summary>
    public const string VerifyCandidate = "verify-candidate";

    /// <summary>The suggester's run of the current prompt on rows a dataset suggestion would add.</summary>
    public const string SuggestRows = "suggest-rows";

    /// <summary>The zero-case run record a goal draft suggestion belongs to (named <c>goal:NAME</c>).</summary>
    public const string GoalDraft = "goal-draft";

    /// <summary>What the suggester's runs of experiment NAME are stored under: <c>NAME.suggest</c>.</summary>
    public const string SuggesterNameSuffix = ".suggest";

    /// <summary>The modes of a user's runs.</summary>
    public static IReadOnlyList<string> User { get; } = [Full, RerunFailed];

    /// <summary>The modes of the runs the suggester makes to analyse and verify.</summary>
    public static IReadOnlyList<string> Suggester { get; } = [SuggestAnalysis, VerifyBaseline, VerifyCandidate, SuggestRows];

    /// <summary>Whether a run of <paramref name="mode"/> is a user's run (one of <see cref="User"/>).</summary>
    public static bool IsUserRun(string mode) => User.Contains(mode);

    /// <summary>Whether a run of <paramref name="mode"/> was made by EvalLoop itself rather than a user (any mode not in <see cref="User"/>).</summary>
    public static bool IsInternal(string mode) => !IsUserRun(mode);
}
