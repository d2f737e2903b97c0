namespace EvalLoop.Reporting;

/// <summary>What a written report holds, for the command that wrote it to print.</summary>
/// <param name="Cases">Case rows in a run report; paired cases in a diff report.</param>
/// <param name="Warnings">What the report warns about (no fonts for chart text, a missing dataset, a partial run...).</param>
public sealed record ReportResult(int Cases, IReadOnlyList<string> Warnings);
