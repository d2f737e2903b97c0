using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using EvalLoop.Core.Experiments;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Prompt;

/// <summary>
/// When failing answers break an instruction the prompt states (offline-detectable ones: "lower case", "one word",
/// "at most N words", "the label only / nothing else", and "one of" a listed set of answers), proposes moving that
/// instruction to the end of the system message, where it is read last, restated as an imperative, with up to three
/// of the failing answers as counter-examples (what was answered, what was expected). Verified like every prompt
/// candidate, by a real run on the verification half.
/// </summary>
/// <remarks>
/// The offline model is a nearest-neighbour learner that only ever answers one of the prompt's answers as written: no
/// wording of an instruction changes what it says, so offline this edit is expected to verify as not significant
/// (the counter-example lines are written so that it does not read them as examples or labels).
/// </remarks>
public sealed partial class IgnoredInstructionStrategy : ISuggestionStrategy
{
    /// <summary>Failing answers that must break an instruction before it is called ignored.</summary>
    public const int MinIgnored = 2;

    private const int MaxCounterExamples = 3;

    public string Name => "ignored-instruction";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        if (context.ExperimentFile is null)
        {
            yield break;
        }

        var prompt = context.ExperimentFile.Prompt;
        var failures = context.Failures.Where(f => f.ErrorKind is null && f.Output is not null).ToList();
        foreach (var instruction in Instructions(prompt))
        {
            var ignored = failures.Where(f => instruction.Violates(f.Output!)).ToList();
            if (ignored.Count < MinIgnored)
            {
                continue;
            }

            var counter = ignored.Where(f => f.Expected is not null).Take(MaxCounterExamples).ToList();
            var proposed = Move(prompt, instruction, counter);
            if (proposed == prompt)
            {
                continue;
            }

            var ids = ignored.Select(f => f.Case.Id).ToHashSet(StringComparer.Ordinal);
            yield return new PromptCandidate
            {
                Strategy = Name,
                Title = $"Restate the ignored instruction \"{Shorten(instruction.Sentence)}\" at the end of the prompt ({ignored.Count} failing answers break it)",
                Summary = $"The prompt says \"{instruction.Sentence.Trim()}\", yet {ignored.Count} of {failures.Count} failing answers break it, e.g. {string.Join(", ", ignored.Take(3).Select(f => $"\"{TextKey.OneLine(f.Output!)}\""))}. "
                    + $"Moves it to the end of the system message (read last) as \"{instruction.Restatement}\"{(counter.Count > 0 ? $", with {counter.Count} of those answers as counter-examples" : string.Empty)}.",
                ClusterIds = context.Clusters.Where(c => c.Members.Any(m => ids.Contains(m.CaseId))).Select(c => c.Id).ToList(),
                Provenance = new Provenance { MotivatingCaseIds = ids.Order(StringComparer.Ordinal).ToList(), SourceCaseIds = counter.Select(c => c.Case.Id).ToList() },
                Proposed = proposed,
            };
        }
    }

    /// <summary>An instruction found in the prompt: its sentence, where it is, how an answer breaks it, and its imperative restatement.</summary>
    internal sealed record Instruction(string Kind, string Sentence, bool InSystem, Func<string, bool> Violates, string Restatement);

    /// <summary>The checkable instructions the prompt states, at most one of each kind.</summary>
    internal static List<Instruction> Instructions(PromptDefinition prompt)
    {
        var found = new List<Instruction>();
        var labels = PromptEditing.FindLabelList(prompt.System) ?? PromptEditing.FindLabelList(prompt.User);
        var allowed = labels?.Items.Select(TextKey.Label).ToHashSet(StringComparer.Ordinal);
        foreach (var (text, inSystem) in new[] { (prompt.System ?? string.Empty, true), (prompt.User, false) })
        {
            foreach (var sentence in Sentences(text))
            {
                if (InstructionChecks.AsksForLowerCase(sentence))
                {
                    Add(new Instruction("lower-case", sentence, inSystem, o => !InstructionChecks.IsLowerCase(o), "Write the whole answer in lower case: no capital letters."));
                }

                if (InstructionChecks.AsksForOneWord(sentence))
                {
                    Add(new Instruction("one-word", sentence, inSystem, o => !InstructionChecks.IsOneWord(o), "Answer with one single word."));
                }

                if (WordLimit().Match(sentence) is { Success: true } limit && int.TryParse(limit.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    // "under 10 words" allows 9, "at most 10 words" allows 10.
                    var strict = limit.Groups["strict"].Success;
                    var max = strict ? n - 1 : n;
                    if (max > 0)
                    {
                        Add(new Instruction("word-limit", sentence, inSystem, o => InstructionChecks.WordCount(o) > max, strict
                            ? $"Use fewer than {n} words in the answer."
                            : $"Use at most {n} word{(n == 1 ? string.Empty : "s")} in the answer."));
                    }
                }

                if (allowed is { Count: >= 2 } && LabelOnly().IsMatch(sentence))
                {
                    Add(new Instruction("label-only", sentence, inSystem, o => !allowed.Contains(TextKey.Label(o)) && allowed.Any(l => ContainsWord(o, l)), "Answer with the label alone: no other words, no explanation, no quotes, no punctuation."));
                }

                if (allowed is { Count: >= 2 } && OneOf().IsMatch(sentence))
                {
                    Add(new Instruction("one-of", sentence, inSystem, o => !allowed.Contains(TextKey.Label(o)), "Answer with exactly one of the listed answers, spelled exactly as it is written in the list."));
                }
            }
        }

        return found;

        void Add(Instruction instruction)
        {
            if (found.All(f => f.Kind != instruction.Kind))
            {
                found.Add(instruction);
            }
        }
    }

    /// <summary>
    /// The prompt with the instruction's sentence taken out of the system message (unless it introduces something, such
    /// as a list, and ends with ':') and restated, with counter-examples, at its end.
    /// </summary>
    internal static PromptDefinition Move(PromptDefinition prompt, Instruction instruction, IReadOnlyList<AnalysedCase> counter)
    {
        var system = prompt.System ?? string.Empty;
        if (instruction.InSystem && !instruction.Sentence.TrimEnd().EndsWith(':'))
        {
            system = Remove(system, instruction.Sentence);
        }

        var text = new StringBuilder(system.TrimEnd());
        if (text.Length > 0)
        {
            text.Append("\n\n");
        }

        text.Append("Important: ").Append(instruction.Restatement);
        foreach (var c in counter)
        {
            // Not "Input:/Output:" lines or list items: those would read as examples or labels to a model that parses them.
            text.Append("\nWrong: \"").Append(TextKey.OneLine(c.Output!)).Append("\" (for \"").Append(TextKey.OneLine(c.Input)).Append("\"); right: \"").Append(TextKey.OneLine(c.Expected!)).Append("\".");
        }

        return prompt with { System = text.Append('\n').ToString() };
    }

    private static string Remove(string text, string sentence)
    {
        var lines = text.Split('\n').ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var at = lines[i].IndexOf(sentence, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var rest = (lines[i][..at] + lines[i][(at + sentence.Length)..]).TrimEnd();
            if (rest.Trim().Length == 0)
            {
                lines.RemoveAt(i);
            }
            else
            {
                lines[i] = MultipleSpaces().Replace(rest, " ");
            }

            break;
        }

        return string.Join('\n', lines);
    }

    private static IEnumerable<string> Sentences(string text) =>
        text.Split('\n').SelectMany(line => SentenceEnd().Split(line)).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static bool ContainsWord(string text, string label) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}_]){Regex.Escape(label)}(?![\p{{L}}\p{{N}}_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Shorten(string text) => text.Length <= 60 ? text.Trim() : text[..57].Trim() + "...";

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"  +")]
    private static partial Regex MultipleSpaces();

    [GeneratedRegex(@"\b((?<strict>under|fewer than|less than)|at most|no more than|not more than|maximum of|up to)\s+(?<n>\d{1,3})\s+words?\b", RegexOptions.IgnoreCase)]
    private static partial Regex WordLimit();

    [GeneratedRegex(@"\b(only the (label|answer|category|intent)|(label|answer|category|intent) only|just the (label|answer|category|intent)|nothing else)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LabelOnly();

    [GeneratedRegex(@"\bone of\b", RegexOptions.IgnoreCase)]
    private static partial Regex OneOf();
}
