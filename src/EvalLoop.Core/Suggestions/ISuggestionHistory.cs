namespace EvalLoop.Core.Suggestions;

/// <summary>The append-only audit history that <see cref="ISuggestionStore.SaveAsync"/> writes, one event per save.</summary>
public interface ISuggestionHistory
{
    /// <summary>The events of one suggestion, oldest (revision 1) first; none for an unknown id.</summary>
    IAsyncEnumerable<SuggestionEvent> ReadHistoryAsync(string suggestionId, CancellationToken cancellationToken = default);
}
