using System.Text.Json.Nodes;

namespace EvalLoop.Suggestions.Changes;

/// <summary>
/// The <c>ChangeJson</c> of a scorer suggestion: new options and/or threshold for one scorer, defined either in its own
/// file (<c>scorers/NAME.yaml</c>) or inline in the experiment file.
/// </summary>
public sealed record ScorerChange
{
    /// <summary><c>normalized-match</c> or <c>threshold</c>.</summary>
    public required string Strategy { get; init; }

    public required string ScorerName { get; init; }

    public required string ScorerType { get; init; }

    /// <summary>The file the scorer is defined in, relative to the workspace root.</summary>
    public required string FilePath { get; init; }

    /// <summary>True when <see cref="FilePath"/> is the experiment file (the scorer is a list item there).</summary>
    public bool Inline { get; init; }

    /// <summary>SHA-256 of <see cref="FilePath"/> when the suggestion was made; approval refuses if the file changed since.</summary>
    public required string BaseFileSha256 { get; init; }

    public double? ThresholdBefore { get; init; }

    public double? ThresholdAfter { get; init; }

    /// <summary>The options before, as a JSON object (null when there were none).</summary>
    public JsonObject? OptionsBefore { get; init; }

    /// <summary>The options after, as a JSON object.</summary>
    public JsonObject? OptionsAfter { get; init; }

    public required string Fingerprint { get; init; }

    public required Provenance Provenance { get; init; }
}
