using EvalLoop.Core.Scoring;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// Scorers for runner tests: <c>equals</c> (output == expected text), <c>throws</c> (always throws, to prove a failing
/// scorer does not fail the run), <c>length</c> (score = min(1, length/10)), <c>trial</c> (passes; its rationale names the
/// trial it was given, to check that scorers learn which trial they grade).
/// </summary>
public sealed class FakeScorerFactory : IScorerFactory
{
    public IReadOnlyCollection<string> KnownTypes { get; } = ["equals", "throws", "length", "trial"];

    public IScorer Create(ScorerDefinition definition) => new Scorer(definition);

    private sealed class Scorer(ScorerDefinition definition) : IScorer
    {
        public ScorerDefinition Definition { get; } = definition;

        public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default) => Definition.Type switch
        {
            "equals" => ValueTask.FromResult(ScoreResult.FromScore(input.Output == input.Case.ExpectedText ? 1 : 0, Definition.Threshold ?? 1, "equality")),
            "length" => ValueTask.FromResult(ScoreResult.FromScore(Math.Min(1, input.Output.Length / 10.0), Definition.Threshold ?? 0.5, "length")),
            "trial" => ValueTask.FromResult(ScoreResult.FromScore(1, 1, $"trial {input.Trial}")),
            _ => throw new InvalidOperationException("scorer exploded"),
        };
    }
}
