namespace EvalLoop.Core.Scoring;

/// <summary>
/// Grades one output. A problem with the inputs (no expected value, unparseable output) is a
/// <see cref="ScoreResult"/> with an error, never an exception: a failing scorer must not fail the run.
/// Implementations are thread-safe; the runner calls them concurrently.
/// </summary>
public interface IScorer
{
    ScorerDefinition Definition { get; }

    ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default);
}
