using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic;

namespace EvalLoop.Scoring;

/// <summary>Creates the built-in scorers by type name.</summary>
public sealed class BuiltInScorerFactory : IScorerFactory
{
    private static readonly Dictionary<string, Func<ScorerDefinition, IScorer>> Factories = new(StringComparer.Ordinal)
    {
        [ExactMatchScorer.TypeName] = d => new ExactMatchScorer(d),
        [ContainsScorer.TypeName] = d => new ContainsScorer(d),
        [RegexScorer.TypeName] = d => new RegexScorer(d),
    };

    public IReadOnlyCollection<string> KnownTypes => Factories.Keys;

    public IScorer Create(ScorerDefinition definition) =>
        Factories.TryGetValue(definition.Type, out var factory)
            ? factory(definition)
            : throw new ArgumentException($"unknown scorer type '{definition.Type}' (built-in: {string.Join(", ", Factories.Keys)})");
}
