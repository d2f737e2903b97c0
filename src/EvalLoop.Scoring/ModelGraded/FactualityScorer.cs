using EvalLoop.Core.Prompts;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// <c>factuality</c>: Braintrust autoevals' Factuality classifier as an <c>llm-rubric</c> preset. The judge compares
/// the output with the case's expected answer (the expert answer) for the case's input and picks (A) subset, consistent:
/// 0.4; (B) superset, consistent: 0.6; (C) same details: 1; (D) disagreement: 0; (E) differences that do not matter
/// for factuality: 1. No options; threshold default 0.5 (a consistent superset passes, a subset does not). A case
/// without an expected answer is an error on that case. Prompt: <c>ModelGraded/Prompts/factuality.yaml</c>.
/// </summary>
public sealed class FactualityScorer : ModelGradedScorer
{
    public const string TypeName = "factuality";
    private static readonly Lazy<PromptFunction> Prompt = new(() => JudgePrompt.Load("factuality"));
    private static readonly Dictionary<string, double> Scores = new(StringComparer.Ordinal)
    {
        ["A"] = 0.4,
        ["B"] = 0.6,
        ["C"] = 1,
        ["D"] = 0,
        ["E"] = 1,
    };

    public FactualityScorer(ScorerDefinition definition, IChatClient judge)
        : base(definition, judge, Prompt.Value, Scores)
    {
        _ = new ScorerOptions(definition);
    }

    protected override Dictionary<string, string>? Variables(ScoringInput input, out string? problem)
    {
        if (input.Case.ExpectedText is not { } expected)
        {
            problem = "factuality needs the case's expected answer to compare with";
            return null;
        }

        problem = null;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = input.Case.InputText,
            ["expected"] = expected,
            ["output"] = input.Output,
        };
    }
}
