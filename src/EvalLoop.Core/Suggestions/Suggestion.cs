namespace EvalLoop.Core.Suggestions;

/// <summary>
/// A proposed change to a prompt, a dataset, a scorer or a goal (<see cref="Kind"/>), produced from a run. Nothing is
/// applied until a human approves it; every save is kept in the suggestion's history (<see cref="ISuggestionHistory"/>).
/// </summary>
/// <remarks>
/// <para>
/// Stores use <see cref="Revision"/> for optimistic concurrency: it is 0 on a suggestion that has never been saved, 1
/// after the first save, and one more after every save. A save carries the revision its caller read and fails with
/// <see cref="SuggestionConcurrencyException"/> when the stored one differs, so two reviewers cannot both decide.
/// </para>
/// <para>
/// <see cref="ChangeJson"/> and <see cref="EvidenceJson"/> are opaque to the store: kept exactly as given, never parsed.
/// Their shape belongs to the suggester that wrote them and the code that applies an approved change.
/// </para>
/// <para>
/// Record equality compares <see cref="ClusterIds"/> by reference; compare two suggestions field by field
/// (e.g. FluentAssertions' <c>BeEquivalentTo</c>).
/// </para>
/// </remarks>
public sealed record Suggestion
{
    /// <summary>Stable id, chosen by whoever creates the suggestion; it never changes.</summary>
    public required string Id { get; init; }

    /// <summary>The run whose results motivated the suggestion. A store may refuse an id it does not know.</summary>
    public required string RunId { get; init; }

    /// <summary>The experiment the suggestion would change.</summary>
    public required string ExperimentName { get; init; }

    /// <summary>One of <see cref="SuggestionKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>One of <see cref="SuggestionStatus"/>; a new suggestion is <see cref="SuggestionStatus.Pending"/>.</summary>
    public string Status { get; init; } = SuggestionStatus.Pending;

    /// <summary>One line for a list of suggestions.</summary>
    public required string Title { get; init; }

    /// <summary>For the reviewer: what would change and why.</summary>
    public required string Summary { get; init; }

    /// <summary>The proposed change, as JSON text whose shape depends on <see cref="Kind"/>.</summary>
    public required string ChangeJson { get; init; }

    /// <summary>The evidence that the change helps (e.g. a verification run's scores), as JSON text; null until verified.</summary>
    public string? EvidenceJson { get; init; }

    /// <summary>The failure clusters the suggestion addresses, in the order given; may be empty.</summary>
    public IReadOnlyList<string> ClusterIds { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the suggestion was approved, rejected or superseded; required for a decision.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Who approved or rejected it; required for a decision.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Why, in the decider's words.</summary>
    public string? DecisionReason { get; init; }

    /// <summary>
    /// The version the approved change created (e.g. the new prompt version); only an approved suggestion has one. The
    /// old version is never overwritten, so an approval is traceable from the suggestion to the version and back.
    /// </summary>
    public string? ResultingVersion { get; init; }

    /// <summary>0 before the first save; the store sets 1 on the first save and adds one on every later save.</summary>
    public int Revision { get; init; }
}
