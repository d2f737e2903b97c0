using System.Text.Json.Nodes;

namespace EvalLoop.Suggestions.Changes;

/// <summary>
/// The <c>ChangeJson</c> of a scorer suggestion: new options and/or threshold for one scorer, defined either in its own
/// file (<c>scorers/NAME.yaml</c>) or inline in the experiment file.
/// </summary>
public sealed record ScorerChange
{
    /// <summary><c>normalized-match</c>, <c>threshold</c>, <c>judge-consistency</c> or <c>goal-coverage</c>.</summary>
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

    /// <summary>True when the scorer is new: approval appends it to the experiment's <c>scorers</c> list.</summary>
    public bool Adds { get; init; }

    /// <summary>For a new scorer covering a goal requirement: the goal file and the requirement approval maps to it.</summary>
    public GoalCoverageChange? Goal { get; init; }

    public required string Fingerprint { get; init; }

    public required Provenance Provenance { get; init; }
}

/// <summary>The coverage mapping a scorer suggestion writes into a goal file: requirement <see cref="RequirementId"/> covered by the new scorer on <see cref="Experiment"/>.</summary>
public sealed record GoalCoverageChange
{
    public required string GoalName { get; init; }

    /// <summary>The goal file, relative to the workspace root.</summary>
    public required string GoalPath { get; init; }

    /// <summary>SHA-256 of the goal file when the suggestion was made; approval refuses if it changed since.</summary>
    public required string BaseFileSha256 { get; init; }

    public required string RequirementId { get; init; }

    /// <summary>The experiment whose new scorer covers the requirement (added to the goal's <c>experiments</c> when missing).</summary>
    public required string Experiment { get; init; }
}
