using EvalLoop.Core.Prompts;
using System.Text.Json;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// The LLM classifier behind <c>llm-rubric</c>, <c>factuality</c> and <c>closed-qa</c>, in the manner of Braintrust
/// autoevals' classifiers: a judge model reads a <see cref="PromptFunction"/> (<see cref="JudgePrompt"/>), writes its reasoning first and then picks one
/// of a few named choices, each mapped to a score. The call asks for structured output (a JSON schema with exactly
/// <c>reasoning</c> and <c>choice</c>, which OpenAI-compatible providers honour) at the prompt's temperature (0), and the
/// reply is parsed strictly by <see cref="JudgeVerdict"/> whatever the provider did with the schema.
/// </summary>
/// <remarks>
/// The judge client comes from the same <see cref="IChatClientFactory"/> as the task model, so its calls are cached,
/// retried, rate limited and priced the same way; each verdict carries its <see cref="JudgeUsage"/>, which runs add up
/// apart from the task's figures. A failed call (after the retries) or an unparseable reply is an error on that case,
/// never a guessed score; an unparseable reply still reports its usage, since it was paid for.
/// </remarks>
public abstract class ModelGradedScorer : IScorer
{
    private const int MaxRationaleChars = 600;
    private readonly IChatClient _judge;
    private readonly PromptFunction _prompt;
    private readonly ChatResponseFormat _format;
    private readonly double _threshold;

    protected ModelGradedScorer(ScorerDefinition definition, IChatClient judge, PromptFunction prompt, IReadOnlyDictionary<string, double> choices)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(choices);
        Definition = definition;
        _judge = judge;
        _prompt = prompt;
        Choices = choices;
        _threshold = definition.Threshold ?? 0.5;
        _format = ChatResponseFormat.ForJsonSchema(VerdictSchema(choices.Keys), "judge_verdict", "The judge's reasoning, then its choice.");
    }

    public ScorerDefinition Definition { get; }

    /// <summary>The choices the judge picks from, each with its score.</summary>
    public IReadOnlyDictionary<string, double> Choices { get; }

    public async ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var variables = Variables(input, out var problem);
        if (variables is null)
        {
            return ScoreResult.Failure(problem ?? "this case cannot be graded");
        }

        variables["choice_names"] = string.Join(", ", Choices.Keys);
        var prompt = await _prompt.RenderAsync(variables, cancellationToken);
        var options = new ChatOptions
        {
            Temperature = _prompt.Temperature,
            MaxOutputTokens = Definition.Judge?.MaxTokens is null ? _prompt.MaxTokens : null,
            ResponseFormat = _format,
            // The same convention as the runner's model calls: trial 1 is the plain call, later trials are distinct calls.
            AdditionalProperties = input.Trial > 1 ? new() { [ChatResponseAnnotations.TrialOption] = input.Trial } : null,
        };

        ChatResponse response;
        try
        {
            response = await _judge.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ScoreResult.Failure($"judge call failed: {ex.Message}");
        }

        var usage = new JudgeUsage(
            response.Usage?.InputTokenCount ?? 0,
            response.Usage?.OutputTokenCount ?? 0,
            response.GetCost(),
            response.IsCacheHit());
        if (!JudgeVerdict.TryParse(response.Text, Choices.Keys.ToList(), out var verdict, out var parseProblem))
        {
            return new ScoreResult(null, false, null, $"unparseable judge reply: {parseProblem}", usage);
        }

        var score = Choices[verdict!.Choice];
        var rationale = $"{verdict.Choice}: {verdict.Reasoning}";
        if (rationale.Length > MaxRationaleChars)
        {
            rationale = rationale[..(MaxRationaleChars - 3)] + "...";
        }

        return ScoreResult.FromScore(score, _threshold, rationale) with { Judge = usage };
    }

    /// <summary>The template variables for this case (all but <c>choice_names</c>); null with a problem when it cannot be graded.</summary>
    protected abstract Dictionary<string, string>? Variables(ScoringInput input, out string? problem);

    private static JsonElement VerdictSchema(IEnumerable<string> choices)
    {
        var schema = new Dictionary<string, object>
        {
            ["type"] = "object",
            ["properties"] = new Dictionary<string, object>
            {
                ["reasoning"] = new Dictionary<string, object> { ["type"] = "string", ["description"] = "Step-by-step reasoning, written before choosing." },
                ["choice"] = new Dictionary<string, object> { ["type"] = "string", ["enum"] = choices.ToArray() },
            },
            ["required"] = new[] { "reasoning", "choice" },
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }
}
