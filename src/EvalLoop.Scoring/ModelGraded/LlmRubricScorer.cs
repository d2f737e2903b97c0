using EvalLoop.Core.Prompts;
using System.Globalization;
using System.Text.Json;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// <c>llm-rubric</c>: a judge model grades the output against the user's <c>options.rubric</c> (the case's input and,
/// when present, expected value are shown too), reasoning first, then choosing one of <c>options.choices</c>, a
/// mapping of choice names to scores in [0, 1]; by default <c>Y: 1</c> (meets the rubric) and <c>N: 0</c>.
/// <c>options.choice_descriptions</c> (name to text) tells the judge what each custom choice means, or let the rubric
/// say it. The prompt is <c>ModelGraded/Prompts/llm-rubric.yaml</c>; see <see cref="ModelGradedScorer"/> for the call.
/// Threshold default 0.5. Needs a judge model (the scorer file's <c>judge:</c>, or the experiment's real model).
/// </summary>
public sealed class LlmRubricScorer : ModelGradedScorer
{
    public const string TypeName = "llm-rubric";
    private static readonly Lazy<PromptFunction> Prompt = new(() => JudgePrompt.Load("llm-rubric"));
    private static readonly Dictionary<string, double> DefaultChoices = new(StringComparer.Ordinal) { ["Y"] = 1, ["N"] = 0 };
    private static readonly Dictionary<string, string> DefaultDescriptions = new(StringComparer.Ordinal)
    {
        ["Y"] = "the submission meets the rubric",
        ["N"] = "the submission does not meet the rubric",
    };

    private readonly string _rubric;
    private readonly string _choiceLines;

    public LlmRubricScorer(ScorerDefinition definition, IChatClient judge)
        : this(definition, judge, new ScorerOptions(definition, "rubric", "choices", "choice_descriptions"))
    {
    }

    private LlmRubricScorer(ScorerDefinition definition, IChatClient judge, ScorerOptions options)
        : base(definition, judge, Prompt.Value, ReadChoices(options))
    {
        _rubric = options.GetString("rubric") is { } rubric && !string.IsNullOrWhiteSpace(rubric)
            ? rubric
            : throw options.Error("rubric", "required: describe what a good answer looks like");
        var descriptions = options.GetElement("choice_descriptions") is { } element ? ReadDescriptions(options, element) : null;
        if (descriptions is null && ReferenceEquals(Choices, DefaultChoices))
        {
            descriptions = DefaultDescriptions;
        }

        _choiceLines = string.Join("\n", Choices.Keys.Select(c => descriptions is not null && descriptions.TryGetValue(c, out var d) ? $"{c}: {d}" : c));
    }

    protected override Dictionary<string, string>? Variables(ScoringInput input, out string? problem)
    {
        problem = null;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = input.Case.InputText,
            ["expected"] = input.Case.ExpectedText ?? "(none)",
            ["output"] = input.Output,
            ["rubric"] = _rubric,
            ["choices"] = _choiceLines,
        };
    }

    private static Dictionary<string, double> ReadChoices(ScorerOptions options)
    {
        if (options.GetElement("choices") is not { } element)
        {
            return DefaultChoices;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.EnumerateObject().Any())
        {
            throw options.Error("choices", "must map choice names to scores, e.g. {A: 1, B: 0.5, C: 0}");
        }

        var choices = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (string.IsNullOrWhiteSpace(property.Name) || property.Name.Trim() != property.Name)
            {
                throw options.Error("choices", $"choice name '{property.Name}' must be non-empty without surrounding spaces");
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var score) || score is < 0 or > 1)
            {
                throw options.Error("choices", $"the score of '{property.Name}' must be a number between 0 and 1, found {property.Value.GetRawText()}");
            }

            choices[property.Name] = score;
        }

        return choices;
    }

    private Dictionary<string, string> ReadDescriptions(ScorerOptions options, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw options.Error("choice_descriptions", "must map choice names to text");
        }

        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!Choices.ContainsKey(property.Name))
            {
                throw options.Error("choice_descriptions", $"'{property.Name}' is not one of the choices ({string.Join(", ", Choices.Keys)})");
            }

            descriptions[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw options.Error("choice_descriptions", string.Create(CultureInfo.InvariantCulture, $"the description of '{property.Name}' must be text"));
        }

        return descriptions;
    }
}
