namespace EvalLoop.Suggestions.Changes;

/// <summary>
/// Every case that shaped a suggestion, recorded on it so verification can exclude them (the provenance firewall): the
/// cases whose failures motivated it and the cases whose content went into it (few-shot examples, rows to add).
/// </summary>
public sealed record Provenance
{
    /// <summary>Failing cases of the clusters the suggestion addresses (or that a strategy looked at).</summary>
    public IReadOnlyList<string> MotivatingCaseIds { get; init; } = [];

    /// <summary>Cases whose content the change contains: few-shot examples, dataset rows, cases shown to a model.</summary>
    public IReadOnlyList<string> SourceCaseIds { get; init; } = [];

    /// <summary>Both lists, without duplicates.</summary>
    public IReadOnlySet<string> AllCaseIds() => new HashSet<string>(MotivatingCaseIds.Concat(SourceCaseIds), StringComparer.Ordinal);
}
