namespace EvalLoop.Reporting.Comparison;

/// <summary>A paired case whose verdict or output changed, with both sides.</summary>
internal sealed record ChangedCase(
    string CaseId,
    int Trial,
    string? Input,
    string? Expected,
    CaseSide Baseline,
    CaseSide Candidate);
