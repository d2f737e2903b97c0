namespace EvalLoop.Core.Suggestions;

/// <summary>
/// One save of a suggestion, as its audit history keeps it: the revision the save produced, the status change (or
/// none), when the store recorded it, and the suggestion exactly as saved. History is append-only, so what a reviewer
/// approved stays readable even if the suggestion is saved again later.
/// </summary>
public sealed record SuggestionEvent
{
    public required string SuggestionId { get; init; }

    /// <summary>The revision this save stored (1 for the creation).</summary>
    public required int Revision { get; init; }

    /// <summary>The status before the save; null for the creation.</summary>
    public string? FromStatus { get; init; }

    /// <summary>The status after the save; equal to <see cref="FromStatus"/> when the save changed other fields only.</summary>
    public required string ToStatus { get; init; }

    /// <summary>When the store recorded the save, by the store's clock.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The suggestion as this save stored it, with <see cref="Suggestion.Revision"/> equal to <see cref="Revision"/>.</summary>
    public required Suggestion Snapshot { get; init; }
}
