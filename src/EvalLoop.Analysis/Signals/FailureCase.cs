using EvalLoop.Core.Runs;

namespace EvalLoop.Analysis.Signals;

/// <summary>
/// One failing result with everything the analyzer uses: the texts (input, expected, output) and the structured
/// signals derived from them (<see cref="Kind"/>, the confusion pair, the failing scorers).
/// </summary>
/// <param name="Ordinal">Position of the case in the dataset, so members list in file order.</param>
/// <param name="Kind">One of <see cref="FailureKinds"/> except <see cref="FailureKinds.Mixed"/>.</param>
/// <param name="Label">For a valid label (confusion): the label set's spelling of the output; else null.</param>
public sealed record FailureCase(
    string CaseId,
    int Trial,
    int Ordinal,
    string Input,
    string? Expected,
    string? Output,
    string? ErrorKind,
    string? ErrorMessage,
    IReadOnlyList<ScoreRecord> Scores,
    string Kind,
    string? Label)
{
    /// <summary>Classifies <paramref name="result"/> against <paramref name="labels"/>.</summary>
    public static FailureCase From(CaseResult result, string input, string? expected, LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(labels);
        string kind;
        string? label = null;
        if (result.ErrorKind is not null)
        {
            kind = FailureKinds.Error;
        }
        else if (string.IsNullOrWhiteSpace(result.Output))
        {
            kind = FailureKinds.EmptyOutput;
        }
        else if (labels.IsClassification && !labels.TryMatch(result.Output, out label))
        {
            kind = FailureKinds.InvalidLabel;
        }
        else if (labels.IsClassification && expected is not null && !string.Equals(label, expected.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            kind = FailureKinds.Confusion;
        }
        else
        {
            kind = FailureKinds.Scorer;
        }

        return new FailureCase(result.CaseId, result.Trial, result.Ordinal, input, expected, result.Output, result.ErrorKind, result.ErrorMessage, result.Scores, kind, label);
    }

    /// <summary>The (expected, output) pair as a human reads it, for confusions and invalid labels; null otherwise.</summary>
    public (string Expected, string Output)? Pair =>
        Kind is FailureKinds.Confusion or FailureKinds.InvalidLabel && Expected is { } expected && Output is { } output
            ? (expected.Trim(), Label ?? output.Trim())
            : null;
}
