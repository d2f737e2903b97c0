using EvalLoop.Core.Experiments;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions;

/// <summary>A change a strategy proposes, before verification. The suggester verifies it and stores it as a <see cref="Suggestion"/>.</summary>
public abstract record SuggestionCandidate
{
    /// <summary>One of <see cref="SuggestionKinds"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>The strategy that proposed it.</summary>
    public required string Strategy { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    /// <summary>The failure clusters it addresses.</summary>
    public IReadOnlyList<string> ClusterIds { get; init; } = [];

    public required Provenance Provenance { get; init; }
}

/// <summary>A new prompt.</summary>
public sealed record PromptCandidate : SuggestionCandidate
{
    public override string Kind => SuggestionKinds.Prompt;

    public required PromptDefinition Proposed { get; init; }
}

/// <summary>Row operations on the dataset file.</summary>
public sealed record DatasetCandidate : SuggestionCandidate
{
    public override string Kind => SuggestionKinds.Dataset;

    public required IReadOnlyList<DatasetOperation> Operations { get; init; }

    /// <summary>Rows to add that have no result yet: the suggester runs the current prompt on them for the evidence.</summary>
    public IReadOnlyList<Core.Datasets.DatasetCase> RowsToRun { get; init; } = [];
}

/// <summary>A scorer with new options or a new threshold, or (with <see cref="Covers"/>) a new scorer for an uncovered goal requirement.</summary>
public sealed record ScorerCandidate : SuggestionCandidate
{
    public override string Kind => SuggestionKinds.Scorer;

    /// <summary>The scorer changed; for a new scorer (<see cref="Covers"/> set), the experiment's primary scorer, for reference.</summary>
    public required ScorerDefinition Current { get; init; }

    /// <summary>
    /// Set when <see cref="Proposed"/> is a new scorer added to the experiment to cover this goal requirement; approval
    /// also maps the requirement to it in the goal file.
    /// </summary>
    public GoalRequirementRef? Covers { get; init; }

    /// <summary>
    /// Set when re-scoring must call a judge model (a model-graded scorer); re-scoring then goes through the scorer's
    /// own judge path (cached), and the evidence says so.
    /// </summary>
    public bool CallsJudge { get; init; }

    /// <summary>Set when the evidence must include the judge's self-agreement across trials, before and after (<see cref="Verification.JudgeAgreement"/>).</summary>
    public bool MeasuresJudgeAgreement { get; init; }

    public required ScorerDefinition Proposed { get; init; }

    /// <summary>
    /// True when the proposed scorer only moves the threshold, so re-scoring compares stored scores with it and never
    /// calls the scorer (a model-graded scorer would call its judge).
    /// </summary>
    public bool ThresholdOnly { get; init; }
}

/// <summary>A requirement of the experiment's goal file, by the goal's name and the requirement's id.</summary>
public sealed record GoalRequirementRef(string Goal, string RequirementId, string Text);
