namespace EvalLoop.Core.Scoring;

/// <summary>Creates scorers from definitions and knows which built-in types exist.</summary>
public interface IScorerFactory
{
    /// <summary>The built-in scorer type names, e.g. <c>exact-match</c>.</summary>
    IReadOnlyCollection<string> KnownTypes { get; }

    /// <summary>
    /// Creates the scorer. Bad options throw <see cref="Workspace.WorkspaceFileException"/> naming the definition's
    /// file, line and option, so the problem surfaces when the experiment loads, not mid-run.
    /// </summary>
    IScorer Create(ScorerDefinition definition);
}
