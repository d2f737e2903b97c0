namespace EvalLoop.Suggestions.Strategies;

/// <summary>Proposes changes from what a <see cref="SuggestionContext"/> shows. Deterministic for the same context.</summary>
public interface ISuggestionStrategy
{
    /// <summary>Short and stable, e.g. <c>few-shot</c>; recorded on every suggestion it makes.</summary>
    string Name { get; }

    IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, CancellationToken cancellationToken = default);
}
