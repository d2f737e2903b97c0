namespace EvalLoop.Core.Suggestions;

/// <summary>
/// Which suggestions <see cref="ISuggestionStore.ListAsync"/> returns: those matching every filter that is set (an unset
/// filter matches all), newest <see cref="Suggestion.CreatedAt"/> first, at most <see cref="Limit"/> of them.
/// </summary>
public sealed record SuggestionQuery
{
    /// <summary>Only suggestions in this <see cref="SuggestionStatus"/>.</summary>
    public string? Status { get; init; }

    /// <summary>Only suggestions motivated by this run.</summary>
    public string? RunId { get; init; }

    public string? ExperimentName { get; init; }

    /// <summary>Only suggestions of this <see cref="SuggestionKinds"/>.</summary>
    public string? Kind { get; init; }

    /// <summary>The most suggestions to return; not negative.</summary>
    public int Limit { get; init; } = 100;
}
