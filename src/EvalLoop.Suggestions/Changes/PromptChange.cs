using EvalLoop.Core.Experiments;

namespace EvalLoop.Suggestions.Changes;

/// <summary>The <c>ChangeJson</c> of a prompt suggestion: the prompt it replaces, the prompt it proposes, and where.</summary>
public sealed record PromptChange
{
    /// <summary>The strategy that wrote it, e.g. <c>few-shot</c>, <c>allowed-answers</c>, <c>llm-rewrite</c>.</summary>
    public required string Strategy { get; init; }

    /// <summary>The experiment file, relative to the workspace root.</summary>
    public required string ExperimentPath { get; init; }

    /// <summary>SHA-256 of the experiment file when the suggestion was made; approval refuses if the file changed since.</summary>
    public required string BaseFileSha256 { get; init; }

    public required string BasePromptVersion { get; init; }

    public required PromptDefinition Base { get; init; }

    public required PromptDefinition Proposed { get; init; }

    public required string ProposedPromptVersion { get; init; }

    /// <summary>Identifies the change (kind, experiment, base prompt, proposed prompt): the same change is never proposed twice.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Fingerprints of the other candidates verified alongside and not kept, so they are not proposed later either.</summary>
    public IReadOnlyList<string> ConsideredFingerprints { get; init; } = [];

    public required Provenance Provenance { get; init; }
}
