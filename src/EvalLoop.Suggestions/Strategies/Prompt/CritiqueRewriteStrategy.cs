using EvalLoop.Core.Prompts;
using System.Runtime.CompilerServices;
using System.Text;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Llm;
using EvalLoop.Suggestions.Text;
using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions.Strategies.Prompt;

/// <summary>
/// The LLM prompt strategy, in the style of ProTeGi and GEPA: for each of the largest failure clusters, a real model
/// first writes a critique of why the prompt fails on the cluster's cases (a "textual gradient"), then rewrites the
/// prompt to address it. One candidate per cluster; verification keeps the best. Runs only when a real model is
/// configured (<see cref="SuggestionContext.Writer"/>). A reply it cannot use (an empty critique, a rewrite that is not
/// the expected JSON or drops a placeholder) is dropped with a note, never guessed at.
/// </summary>
public sealed class CritiqueRewriteStrategy : ISuggestionStrategy
{
    private static readonly Lazy<PromptFunction> Critique = new(() => LlmPrompts.Load("critique"));
    private static readonly Lazy<PromptFunction> Rewrite = new(() => LlmPrompts.Load("rewrite"));

    public string Name => "llm-rewrite";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Writer is not { } writer || context.ExperimentFile is null || context.Options.LlmCandidates == 0)
        {
            yield break;
        }

        var prompt = context.ExperimentFile.Prompt;
        var placeholders = string.Join(", ", RewriteReply.Placeholders(prompt).Select(p => "{{" + p + "}}"));
        var clusters = context.Clusters
            .Where(c => c.Kind != "error")
            .OrderByDescending(c => c.Size)
            .Take(context.Options.LlmCandidates)
            .ToList();
        foreach (var cluster in clusters)
        {
            var shown = cluster.Representatives.Concat(cluster.Members)
                .Select(m => m.CaseId)
                .Distinct(StringComparer.Ordinal)
                .Select(context.Find)
                .OfType<AnalysedCase>()
                .Take(context.Options.LlmExamplesPerCluster)
                .ToList();
            if (shown.Count == 0)
            {
                continue;
            }

            var pattern = $"{cluster.Name}: {cluster.Description}";
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["system"] = prompt.System ?? "(none)",
                ["user"] = prompt.User,
                ["pattern"] = pattern,
                ["examples"] = Describe(shown),
                ["placeholders"] = placeholders.Length > 0 ? placeholders : "(none)",
            };

            var (critique, proposed) = await CritiqueAndRewriteAsync(context, writer, cluster.Name, prompt, variables, cancellationToken);
            if (critique is null || proposed is null)
            {
                continue;
            }

            if (proposed == prompt)
            {
                continue;
            }

            yield return new PromptCandidate
            {
                Strategy = Name,
                Title = $"Rewrite the prompt for '{cluster.Name}' (model-written after a critique of {shown.Count} failing cases)",
                Summary = $"A {context.Experiment.Model.Provider}/{context.Experiment.Model.Name} critique of why the prompt fails on '{cluster.Name}' ({cluster.Size} failing cases), then a rewrite addressing it. Critique:\n{critique.Trim()}",
                ClusterIds = [cluster.Id],
                Provenance = new Provenance
                {
                    MotivatingCaseIds = cluster.Members.Select(m => m.CaseId).Distinct(StringComparer.Ordinal).ToList(),
                    SourceCaseIds = shown.Select(s => s.Case.Id).ToList(),
                },
                Proposed = proposed,
            };
        }
    }

    private static async Task<(string? Critique, Core.Experiments.PromptDefinition? Proposed)> CritiqueAndRewriteAsync(
        SuggestionContext context,
        IChatClient writer,
        string cluster,
        Core.Experiments.PromptDefinition prompt,
        Dictionary<string, string> variables,
        CancellationToken cancellationToken)
    {
        string? critique;
        string? reply;
        try
        {
            critique = await AskAsync(writer, Critique.Value, variables, cancellationToken);
            if (string.IsNullOrWhiteSpace(critique))
            {
                context.AddNote($"llm-rewrite: the model's critique of '{cluster}' was empty; no candidate for it.");
                return (null, null);
            }

            variables["critique"] = critique.Trim();
            reply = await AskAsync(writer, Rewrite.Value, variables, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failing model call costs this candidate, not the whole suggestion round.
            context.AddNote($"llm-rewrite: the model call for '{cluster}' failed ({ex.GetType().Name}: {ex.Message}); no candidate for it.");
            return (null, null);
        }

        try
        {
            return (critique, RewriteReply.Parse(reply, prompt));
        }
        catch (FormatException ex)
        {
            context.AddNote($"llm-rewrite: the model's rewrite for '{cluster}' could not be used ({ex.Message}); no candidate for it.");
            return (critique, null);
        }
    }

    private static async Task<string?> AskAsync(IChatClient writer, PromptFunction function, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var text = await function.RenderAsync(variables, cancellationToken);
        var response = await writer.GetResponseAsync(
            [new ChatMessage(ChatRole.User, text)],
            new ChatOptions { Temperature = function.Temperature, MaxOutputTokens = function.MaxTokens },
            cancellationToken);
        return response.Text;
    }

    private static string Describe(List<AnalysedCase> cases)
    {
        var text = new StringBuilder();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            text.Append("Case ").Append(i + 1).Append(":\n")
                .Append("  Input: ").Append(TextKey.OneLine(c.Input)).Append('\n')
                .Append("  Expected answer: ").Append(TextKey.OneLine(c.Expected ?? "(none)")).Append('\n')
                .Append("  System's answer: ").Append(c.ErrorKind is { } error ? $"(error: {error})" : TextKey.OneLine(c.Output ?? string.Empty)).Append('\n');
        }

        return text.ToString();
    }
}
