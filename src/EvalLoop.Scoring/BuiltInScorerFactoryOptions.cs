using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring;

/// <summary>Host-level settings of <see cref="BuiltInScorerFactory"/> that do not belong in a scorer file.</summary>
public sealed record BuiltInScorerFactoryOptions
{
    /// <summary>
    /// The workspace folder: where <c>exec</c> commands run and what relative <c>json-schema</c> <c>schema_file</c>
    /// paths are resolved against. Null means the current directory.
    /// </summary>
    public string? WorkspaceRoot { get; init; }

    /// <summary>Whether judge calls read and write the response cache (default true: a temperature-0 verdict is reusable, and resumes are free).</summary>
    public bool UseJudgeCache { get; init; } = true;

    /// <summary>
    /// Creates the embedding generator of an <c>embedding-similarity</c> scorer whose <c>options.model</c> names an
    /// embedding model (an OpenAI-compatible endpoint); null means such scorers cannot load. Generators are created once
    /// per model and disposed with the factory.
    /// </summary>
    public Func<ModelSettings, IEmbeddingGenerator<string, Embedding<float>>>? EmbeddingModels { get; init; }
}
