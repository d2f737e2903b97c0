using System.Text.Json;
using System.Text.RegularExpressions;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Core.Tests.Parsing;

/// <summary>
/// Stands in for the built-in factory (Core.Tests does not reference Scoring). Knows the types it is given; for
/// <c>regex</c> it compiles <c>options.pattern</c> so a bad pattern throws <see cref="ArgumentException"/>, as a
/// real scorer constructor would.
/// </summary>
internal sealed class FakeScorerFactory(params string[] knownTypes) : IScorerFactory
{
    public static FakeScorerFactory Default() => new("exact-match", "contains", "regex");

    public IReadOnlyCollection<string> KnownTypes => knownTypes;

    /// <summary>Every definition the loader asked for, in order.</summary>
    public List<ScorerDefinition> Created { get; } = [];

    public IScorer Create(ScorerDefinition definition)
    {
        if (!knownTypes.Contains(definition.Type, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown scorer type '{definition.Type}'");
        }

        if (definition.Type == "regex" &&
            definition.Options is { ValueKind: JsonValueKind.Object } options &&
            options.TryGetProperty("pattern", out var pattern) &&
            pattern.ValueKind == JsonValueKind.String)
        {
            // Throws RegexParseException, an ArgumentException, for "(".
            _ = new Regex(pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        Created.Add(definition);
        return new FakeScorer(definition);
    }

    private sealed class FakeScorer(ScorerDefinition definition) : IScorer
    {
        public ScorerDefinition Definition { get; } = definition;

        public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ScoreResult.FromScore(1, 1, "fake"));
    }
}
