namespace EvalLoop.Suggestions.Changes;

/// <summary>The <c>ChangeJson</c> of a dataset suggestion: row operations on one dataset file.</summary>
public sealed record DatasetChange
{
    /// <summary><c>suspect-labels</c>, <c>duplicates</c> or <c>coverage</c>.</summary>
    public required string Strategy { get; init; }

    public required string DatasetName { get; init; }

    /// <summary>The dataset file, relative to the workspace root.</summary>
    public required string DatasetPath { get; init; }

    /// <summary>SHA-256 of the dataset file when the suggestion was made; approval refuses if the file changed since.</summary>
    public required string BaseFileSha256 { get; init; }

    public required string BaseDatasetVersion { get; init; }

    public required IReadOnlyList<DatasetOperation> Operations { get; init; }

    public required string Fingerprint { get; init; }

    public required Provenance Provenance { get; init; }
}

/// <summary>
/// One row operation. <see cref="Op"/> is <c>remove</c>, <c>relabel</c> (set <c>expected</c> to <see cref="ExpectedAfter"/>),
/// <c>move</c> (set <c>split</c> to <see cref="SplitAfter"/>) or <c>add</c> (append <see cref="Line"/>).
/// </summary>
public sealed record DatasetOperation
{
    public const string Remove = "remove";
    public const string Relabel = "relabel";
    public const string Move = "move";
    public const string Add = "add";

    public required string Op { get; init; }

    public required string CaseId { get; init; }

    /// <summary>The case's input as text, for the reviewer.</summary>
    public string? Input { get; init; }

    public string? ExpectedBefore { get; init; }

    public string? ExpectedAfter { get; init; }

    public string? SplitBefore { get; init; }

    public string? SplitAfter { get; init; }

    /// <summary>For <c>add</c>: the JSONL line to append.</summary>
    public string? Line { get; init; }

    /// <summary>Why, for the reviewer (e.g. the neighbours' labels, the duplicate's id).</summary>
    public required string Reason { get; init; }
}
