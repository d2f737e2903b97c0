using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Scoring;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Scorer;

/// <summary>
/// For each requirement of the experiment's goal file that no scorer covers, proposes a scorer that measures it, added
/// to the experiment; approving also maps the requirement to it in the goal file. Offline, only what the requirement's
/// words and the dataset say for certain (as <see cref="OfflineGoalDrafter"/> derives them): <c>json-valid</c> when it
/// asks for JSON and every expected value is JSON; <c>one-of</c> with the dataset's labels when it asks for one of the
/// known labels; a <c>regex</c> for a stated format (lower case, one word, no account or card number); <c>exact-match</c>
/// for accuracy on a label dataset when the experiment has no exact-match scorer yet. With a real model, a requirement
/// none of these fits gets an <c>llm-rubric</c> whose rubric is the requirement. The suggester re-scores the stored
/// outputs under the new scorer and lists every case it would turn from passing to failing.
/// </summary>
public sealed partial class GoalCoverageStrategy : ISuggestionStrategy
{
    public string Name => "goal-coverage";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        if (context.Goal is not { } goal)
        {
            yield break;
        }

        var uncovered = goal.Definition.Requirements.Where(r => !r.IsCovered).ToList();
        if (uncovered.Count == 0)
        {
            yield break;
        }

        if (context.RequestedRun.ExperimentPath is null)
        {
            context.AddNote($"Goal {goal.Definition.Name} has {uncovered.Count} uncovered requirement(s), but the experiment file of run {context.RequestedRun.Id} is unknown; no scorer can be added to it.");
            yield break;
        }

        var facts = OfflineGoalDrafter.Facts(context.AllCases, context.Dataset.Name);
        var primary = context.Experiment.Scorers.First(s => s.Name == context.PrimaryScorer);
        foreach (var requirement in uncovered)
        {
            var derived = Derive(requirement, facts, context);
            if (derived is null)
            {
                continue;
            }

            var (type, options, why) = derived.Value;
            var name = UniqueName(requirement.Id, context.Experiment.Scorers);
            var judge = type == "llm-rubric" ? context.Experiment.Model with { Temperature = 0, MaxTokens = null } : null;
            var proposed = new ScorerDefinition(name, type, null, options is null ? null : JsonSerializer.SerializeToElement(options), Judge: judge);
            yield return new ScorerCandidate
            {
                Strategy = Name,
                Title = $"Cover goal requirement '{requirement.Id}' of {goal.Definition.Name} with a {type} scorer",
                Summary = $"Requirement '{requirement.Id}' (\"{requirement.Text}\") of goal {goal.Definition.Name} is measured by no scorer. {why} Approving adds the scorer '{name}' to {context.ExperimentFile?.RelativePath ?? "the experiment file"} and maps the requirement to it in {goal.RelativePath}; the stored outputs are re-scored under it below.",
                Provenance = new Provenance(),
                Current = primary,
                Proposed = proposed,
                Covers = new GoalRequirementRef(goal.Definition.Name, requirement.Id, requirement.Text),
                CallsJudge = judge is not null,
            };
        }
    }

    private static (string Type, JsonObject? Options, string Why)? Derive(GoalRequirement requirement, OfflineGoalDrafter.DatasetFacts facts, SuggestionContext context)
    {
        var text = requirement.Text;
        if (OfflineGoalDrafter.JsonWord().IsMatch(text) && facts.AllJson)
        {
            return ("json-valid", null, "It asks for JSON and every expected value of the dataset is JSON, so json-valid measures it.");
        }

        if (LabelSetWords().IsMatch(text) && facts.Labels is { } labels)
        {
            return ("one-of", new JsonObject { ["values"] = new JsonArray(labels.Select(l => (JsonNode)l).ToArray()) }, $"It asks for one of the known labels; one-of with the dataset's {labels.Count} labels measures it.");
        }

        if (InstructionChecks.AsksForLowerCase(text))
        {
            return ("regex", new JsonObject { ["pattern"] = InstructionChecks.LowerCasePattern }, "It asks for lower case; a regex that rejects any capital letter (in any script) measures it.");
        }

        if (InstructionChecks.AsksForOneWord(text))
        {
            return ("regex", new JsonObject { ["pattern"] = InstructionChecks.OneWordPattern }, "It asks for a single word; a regex for one run of non-space characters measures it.");
        }

        if (NumberLeakWords().IsMatch(text))
        {
            return ("regex", new JsonObject { ["pattern"] = @"^(?![\s\S]*\d{8,})" }, "It forbids account or card numbers; a regex that rejects any run of 8 or more digits measures it (a heuristic: review the flagged cases).");
        }

        if (OfflineGoalDrafter.AccuracyWords().IsMatch(text) && facts.Labels is not null)
        {
            if (context.Experiment.Scorers.FirstOrDefault(s => s.Type == "exact-match") is { } existing)
            {
                context.AddNote($"Goal requirement '{requirement.Id}' looks measured by the experiment's own scorer '{existing.Name}': map it in the goal file (covered_by: [{{ experiment: {context.Experiment.Name}, scorer: {existing.Name} }}]).");
                return null;
            }

            return ("exact-match", new JsonObject { ["trim"] = true }, "It asks for the right label; exact-match against the expected label measures it.");
        }

        if (context.Writer is not null)
        {
            return ("llm-rubric", new JsonObject { ["rubric"] = $"The response satisfies this requirement: {text}" }, $"No deterministic check fits it, so the experiment's model ({context.Experiment.Model.Name}) judges it with a rubric written from the requirement.");
        }

        context.AddNote($"Goal requirement '{requirement.Id}' (\"{text}\") stays uncovered: no deterministic scorer fits its words, and an llm-rubric needs a real model (the experiment runs offline).");
        return null;
    }

    private static string UniqueName(string id, IReadOnlyList<ScorerDefinition> existing)
    {
        var name = id;
        for (var i = 2; existing.Any(s => s.Name == name); i++)
        {
            name = $"{id}-{i}";
        }

        return name;
    }

    [GeneratedRegex(@"\bone of\b|\blabel set\b|\bknown (labels?|intents?|categor(y|ies)|classes)\b|\ballowed (labels?|answers?|values?)\b|\bvalid (label|intent|category)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LabelSetWords();

    [GeneratedRegex(@"\b(never|not|no|without)\b.*\b(account|card|credit[- ]card|iban)s?\b.*\bnumbers?\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLeakWords();
}
