using System.Runtime.CompilerServices;
using EvalLoop.Core.Experiments;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Prompt;

/// <summary>
/// When answers fall outside the allowed labels (a label that does not exist, a misspelling, a label wrapped in other
/// words), states the allowed answers and the output format explicitly: a label list in the prompt that disagrees with
/// the labels the data uses is replaced by the data's labels, or, when the prompt lists none, the list is added; and an
/// instruction to answer with exactly one of them and nothing else is appended.
/// </summary>
public sealed class AllowedAnswersStrategy : ISuggestionStrategy
{
    public const string FormatInstruction =
        "Reply with exactly one of the allowed answers, spelled exactly as written, and nothing else: no explanation, no quotes, no extra punctuation.";

    public string Name => "allowed-answers";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        if (context.ExperimentFile is null || !context.Labels.IsClassification)
        {
            yield break;
        }

        var outside = context.Failures
            .Where(f => f.Output is not null && f.ErrorKind is null && !context.Labels.Contains(f.Output))
            .ToList();
        if (outside.Count == 0)
        {
            yield break;
        }

        var wrapped = outside.Count(f => context.Labels.Labels.Any(l => f.Output!.Contains(l, StringComparison.OrdinalIgnoreCase)));
        var prompt = context.ExperimentFile.Prompt;
        var proposed = Rewrite(prompt, context.Labels.Labels, out var listChange);
        if (proposed == prompt)
        {
            yield break;
        }

        var outsideIds = outside.Select(f => f.Case.Id).ToHashSet(StringComparer.Ordinal);
        var clusters = context.Clusters
            .Where(c => c.Members.Any(m => outsideIds.Contains(m.CaseId)))
            .Select(c => c.Id)
            .ToList();
        var samples = outside.Select(f => f.Output!).Distinct(StringComparer.Ordinal).Take(5).Select(o => $"\"{TextKey.OneLine(o)}\"");
        yield return new PromptCandidate
        {
            Strategy = Name,
            Title = $"State the {context.Labels.Labels.Count} allowed answers and the output format ({outside.Count} answers were outside them)",
            Summary = $"{outside.Count} failing answers are not one of the {context.Labels.Labels.Count} labels the data uses"
                + (wrapped > 0 ? $" ({wrapped} contain a label wrapped in other text)" : string.Empty)
                + $", e.g. {string.Join(", ", samples)}. {listChange} and appends: \"{FormatInstruction}\"",
            ClusterIds = clusters,
            Provenance = new Provenance { MotivatingCaseIds = outsideIds.Order(StringComparer.Ordinal).ToList() },
            Proposed = proposed,
        };
    }

    /// <summary>The prompt with the allowed answers stated and the format instruction appended.</summary>
    public static PromptDefinition Rewrite(PromptDefinition prompt, IReadOnlyList<string> labels, out string listChange)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(labels);
        // The answers go into the system message (created when there is none): the user message is the input.
        var text = prompt.System ?? string.Empty;
        var block = PromptEditing.FindLabelList(text);
        if (block is not null)
        {
            var vocabulary = labels.ToDictionary(TextKey.Label, l => l, StringComparer.Ordinal);
            var kept = block.Items.Where(i => vocabulary.ContainsKey(TextKey.Label(i))).Select(i => vocabulary[TextKey.Label(i)]).ToList();
            var added = labels.Where(l => !kept.Contains(l, StringComparer.Ordinal)).ToList();
            var dropped = block.Items.Count - kept.Count;
            if (added.Count > 0 || dropped > 0 || kept.Count != block.Items.Count)
            {
                text = PromptEditing.ReplaceList(text, block, [.. kept, .. added]);
                listChange = $"Replaces the prompt's list of {block.Items.Count} answers with the {labels.Count} labels the data uses ({dropped} not used by the data removed, {added.Count} added)";
            }
            else
            {
                listChange = "Keeps the prompt's label list (it matches the data)";
            }
        }
        else
        {
            text = (text.TrimEnd().Length > 0 ? text.TrimEnd() + "\n\n" : string.Empty) + "Allowed answers (reply with exactly one of them):\n" + string.Join('\n', labels.Select(l => "- " + l));
            listChange = $"Adds the list of the {labels.Count} allowed answers";
        }

        if (!text.Contains(FormatInstruction, StringComparison.Ordinal))
        {
            text = text.TrimEnd() + "\n" + FormatInstruction + "\n";
        }

        return prompt with { System = text };
    }
}
