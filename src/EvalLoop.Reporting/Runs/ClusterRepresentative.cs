using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// A case near a failure cluster's centre joined with its dataset case and its result (either is null when it is gone):
/// what the run report and the service's clusters page show for it.
/// </summary>
public sealed record ClusterRepresentative(string CaseId, int Trial, string? Input, string? Expected, CaseResult? Result)
{
    /// <summary>How many characters of a text a cell shows (the rest is counted, not shown).</summary>
    public const int MaxCellCharacters = 1000;

    /// <summary>The model's output, else its error as <c>[kind] message</c>; null when there is neither.</summary>
    public string? Output => Result?.Output ?? (Result?.ErrorKind is null ? null : $"[{Result.ErrorKind}] {Result.ErrorMessage}");

    /// <summary>
    /// <paramref name="text"/> as a cell shows it: at most <see cref="MaxCellCharacters"/> characters and valid UTF-16;
    /// empty for null. Not escaped: the writer escapes it.
    /// </summary>
    public static string Cell(string? text) => text is null ? string.Empty : CellText.Truncate(text, MaxCellCharacters);
}
