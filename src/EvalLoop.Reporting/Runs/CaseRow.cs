using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Runs;

/// <summary>A result joined with its dataset case: what a reader needs to see one case.</summary>
internal sealed record CaseRow(CaseResult Result, string? Input, string? Expected, string? Metadata);
