using EvalLoop.Core.Prompts;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Models;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Llm;
using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// Drafts a goal plan with a real model: the <c>goal-plan</c> Semantic Kernel prompt function splits the description
/// into requirements and drafts, for each, a scorer (deterministic where one fits, else <c>llm-rubric</c>), a target
/// and a dataset slice; a target the description does not state (as "0.85" or "85%") is dropped, never invented. The
/// reply must be the JSON the prompt asks for; anything else is a <see cref="FormatException"/> (the caller may fall
/// back to <see cref="OfflineGoalDrafter"/>). Scorer types are checked against the known ones.
/// </summary>
public sealed class LlmGoalDrafter(IChatClient client, ModelSettings model, WorkspaceLayout workspace, IReadOnlyCollection<string> knownScorerTypes)
{
    public async Task<GoalDraft> DraftAsync(string name, string description, string? dataset, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var offline = new OfflineGoalDrafter(workspace);
        offline.CheckNew(name);
        var facts = await offline.FactsAsync(dataset, cancellationToken);
        var function = LlmPrompts.Load("goal-plan");
        var prompt = await function.RenderAsync(new Dictionary<string, string>
        {
            ["description"] = description,
            ["dataset"] = Describe(facts),
        }, cancellationToken);
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, prompt)],
            new ChatOptions { Temperature = function.Temperature, MaxOutputTokens = function.MaxTokens },
            cancellationToken);
        // The prompt asks for a target only where the goal states a number; one the description does not state is dropped.
        var requirements = Parse(response.Text, knownScorerTypes)
            .Select(r => r.Target is { } t && !GoalTargetParser.States(description, t) ? r with { Target = null } : r)
            .ToList();
        return offline.Assemble(name, description, facts, requirements, $"model {model.Provider}/{model.Name}", model);
    }

    private static string Describe(OfflineGoalDrafter.DatasetFacts? facts) => facts switch
    {
        null => "There is no dataset yet: no requirement can be measured; give every scorer as null.",
        { Labels: { } labels } => $"Dataset '{facts.Dataset}': classification; every expected value is one of {labels.Count} labels: {string.Join(", ", labels)}.",
        { AllJson: true } => $"Dataset '{facts.Dataset}': every expected value is JSON.",
        _ => $"Dataset '{facts.Dataset}': free-text expected values.",
    };

    /// <summary>Reads the model's plan; a reply that is not the asked-for JSON throws <see cref="FormatException"/> naming what is wrong.</summary>
    internal static List<OfflineGoalDrafter.DraftRequirement> Parse(string reply, IReadOnlyCollection<string> knownScorerTypes)
    {
        var text = reply.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            // Models often fence JSON even when told not to; the fence carries no meaning.
            text = text.Trim('`').Trim();
            text = text.StartsWith("json", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the model's goal plan is not JSON ({ex.Message})", ex);
        }

        if (root?["requirements"] is not JsonArray items || items.Count == 0)
        {
            throw new FormatException("the model's goal plan has no \"requirements\" list");
        }

        var result = new List<OfflineGoalDrafter.DraftRequirement>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || item["text"]?.GetValueKind() != JsonValueKind.String)
            {
                throw new FormatException($"requirements[{i}] of the model's goal plan has no \"text\"");
            }

            var requirementText = item["text"]!.GetValue<string>();
            var id = item["id"]?.GetValueKind() == JsonValueKind.String && GoalReference.IsValidName(item["id"]!.GetValue<string>())
                ? item["id"]!.GetValue<string>()
                : $"requirement-{i + 1}";
            if (result.Any(r => r.Id == id))
            {
                id = $"{id}-{i + 1}";
            }

            double? target = item["target"] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is >= 0 and <= 1 => v.GetValue<double>(),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is > 1 and <= 100 => Math.Round(v.GetValue<double>() / 100, 4),
                _ => throw new FormatException($"requirements[{i}].target of the model's goal plan must be a number in 0..1"),
            };

            string? type = null;
            JsonObject? options = null;
            if (item["scorer"] is JsonObject scorer)
            {
                type = scorer["type"]?.GetValueKind() == JsonValueKind.String ? scorer["type"]!.GetValue<string>() : null;
                if (type is null || !knownScorerTypes.Contains(type))
                {
                    throw new FormatException($"requirements[{i}].scorer.type of the model's goal plan is '{type}', not a known scorer type ({string.Join(", ", knownScorerTypes.Order(StringComparer.Ordinal))})");
                }

                options = scorer["options"] is JsonObject o && o.Count > 0 ? (JsonObject)o.DeepClone() : null;
            }

            Dictionary<string, string>? slice = null;
            if (item["slice"] is JsonObject sliceNode && sliceNode.Count > 0)
            {
                slice = sliceNode.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
            }

            var scorerName = type is null ? null : options is null ? type : $"{id}-{type}";
            result.Add(new OfflineGoalDrafter.DraftRequirement(id, requirementText, target, scorerName, options is null ? null : type, options, slice));
        }

        return result;
    }
}
