using EvalLoop.Core.Prompts;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// <c>closed-qa</c>: Braintrust autoevals' ClosedQA classifier as an <c>llm-rubric</c> preset. The judge decides whether
/// the output answers the case's input while meeting <c>options.criteria</c> (required): Y scores 1, N scores 0.
/// Threshold default 0.5. Prompt: <c>ModelGraded/Prompts/closed-qa.yaml</c>.
/// </summary>
public sealed class ClosedQaScorer : ModelGradedScorer
{
    public const string TypeName = "closed-qa";
    private static readonly Lazy<PromptFunction> Prompt = new(() => JudgePrompt.Load("closed-qa"));
    private static readonly Dictionary<string, double> Scores = new(StringComparer.Ordinal) { ["Y"] = 1, ["N"] = 0 };
    private readonly string _criteria;

    public ClosedQaScorer(ScorerDefinition definition, IChatClient judge)
        : base(definition, judge, Prompt.Value, Scores)
    {
        var options = new ScorerOptions(definition, "criteria");
        _criteria = options.GetString("criteria") is { } criteria && !string.IsNullOrWhiteSpace(criteria)
            ? criteria
            : throw options.Error("criteria", "required: the criterion a good answer meets");
    }

    protected override Dictionary<string, string>? Variables(ScoringInput input, out string? problem)
    {
        problem = null;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = input.Case.InputText,
            ["output"] = input.Output,
            ["criteria"] = _criteria,
        };
    }
}
