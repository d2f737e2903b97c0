using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Offline;

/// <summary>
/// Finds the allowed answers and the few-shot examples in a chat prompt. Line-based and forgiving: anything it does not
/// recognise is left as plain text.
/// </summary>
internal static partial class OfflinePromptParser
{
    private const int MaxLabelLength = 64;
    private const int MaxLabelWords = 6;

    /// <summary>The labels and examples of every message before the query, in order.</summary>
    /// <remarks>
    /// System and user messages are parsed for list items, inline lists and example blocks. A user message directly
    /// followed by an assistant message is also an example: the user's text (or its pending input) and the reply.
    /// Assistant text is never parsed for labels; tool messages are ignored.
    /// </remarks>
    public static (List<OfflineLabel> Labels, List<OfflineExample> Examples) ParsePrefix(
        IReadOnlyList<ChatMessage> messages, int count)
    {
        var labels = new List<OfflineLabel>();
        var examples = new List<OfflineExample>();
        OfflineTextStructure? previousUser = null;
        string? previousUserText = null;
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            var text = message.Text ?? string.Empty;
            if (message.Role == ChatRole.Assistant)
            {
                if (previousUser is not null && previousUserText is not null)
                {
                    var input = previousUser.QueryOr(previousUserText).Trim();
                    var output = text.Trim();
                    if (input.Length > 0 && output.Length > 0)
                    {
                        examples.Add(new OfflineExample(input, output));
                    }
                }

                previousUser = null;
                continue;
            }

            previousUser = null;
            if (message.Role == ChatRole.Tool)
            {
                continue;
            }

            var structure = ParseText(text);
            labels.AddRange(structure.Labels);
            examples.AddRange(structure.Examples);
            if (message.Role == ChatRole.User)
            {
                previousUser = structure;
                previousUserText = text;
            }
        }

        return (labels, examples);
    }

    /// <summary>Parses one message's text.</summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>List items ("- x", "* x", "• x", "1. x", "1) x") that look like labels: at most 6 words and 64 characters,
    /// not a sentence. "name: description" and "name - description" items give the name and keep the description.</item>
    /// <item>Inline lists after "one of:", "labels:", "categories:", "intents:", "classes:", "options:", "choices:" or
    /// "answers:", separated by commas, semicolons or bars, with at least two items.</item>
    /// <item>Example blocks: an input line ("Input:", "Q:", "Question:", "Message:", "Text:", "Query:", "User:",
    /// optionally "Customer message:" and similar) followed, possibly after continuation lines, by an output line
    /// ("Output:", "A:", "Answer:", "Intent:", "Label:", "Category:", "Class:", "Response:", "Assistant:").
    /// Case-insensitive; markdown bold around the key is allowed.</item>
    /// </list>
    /// </remarks>
    public static OfflineTextStructure ParseText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var labels = new List<OfflineLabel>();
        var examples = new List<OfflineExample>();
        var residual = new StringBuilder();
        var structural = new StringBuilder();
        StringBuilder? pendingInput = null;
        string? unanswered = null;
        var collectingInput = false;
        var listAnnounced = false;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                collectingInput = false;
                continue;
            }

            var match = InputKey().Match(line);
            if (match.Success)
            {
                if (pendingInput is not null)
                {
                    unanswered = pendingInput.ToString().Trim();
                }

                pendingInput = new StringBuilder(match.Groups["value"].Value.Trim());
                collectingInput = true;
                listAnnounced = false;
                structural.Append(line).Append('\n');
                continue;
            }

            if (pendingInput is not null && (match = OutputKey().Match(line)).Success)
            {
                var input = pendingInput.ToString().Trim();
                var output = CleanLabel(match.Groups["value"].Value);
                pendingInput = null;
                collectingInput = false;
                if (output.Length == 0)
                {
                    // "Intent:" left empty for the model to fill in: the input is the question.
                    unanswered = input;
                }
                else if (input.Length > 0)
                {
                    examples.Add(new OfflineExample(input, output));
                }

                structural.Append(line).Append('\n');
                continue;
            }

            if (collectingInput)
            {
                pendingInput!.Append('\n').Append(line.Trim());
                structural.Append(line).Append('\n');
                continue;
            }

            match = ListItem().Match(line);
            if (match.Success && TryParseLabel(match.Groups["item"].Value, listAnnounced, out var label))
            {
                labels.Add(label);
                structural.Append(line).Append('\n');
                continue;
            }

            if (!match.Success && TryParseInlineList(line, labels))
            {
                listAnnounced = false;
                structural.Append(line).Append('\n');
                continue;
            }

            residual.Append(line.Trim()).Append('\n');
            if (!match.Success)
            {
                listAnnounced = Announcer().IsMatch(line);
            }
        }

        var pending = pendingInput is not null ? pendingInput.ToString().Trim() : unanswered;
        return new OfflineTextStructure(labels, examples, pending, residual.ToString().Trim(), structural.ToString());
    }

    /// <summary>The form used to match an example's output to a label: "Card_Arrival." and "card arrival" are the same.</summary>
    public static string NormalizeAnswer(string answer) =>
        LexicalTextFeaturizer.LabelToText(CleanLabel(answer)).ToUpperInvariant();

    private static bool TryParseInlineList(string line, List<OfflineLabel> labels)
    {
        var match = InlineList().Match(line);
        if (!match.Success)
        {
            return false;
        }

        var list = match.Groups["list"].Value;
        // "one of: a, b, c. Reply with the label only." - the list ends at the first sentence break.
        var sentenceEnd = list.IndexOf(". ", StringComparison.Ordinal);
        if (sentenceEnd >= 0)
        {
            list = list[..sentenceEnd];
        }

        var found = new List<OfflineLabel>();
        foreach (var part in list.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = StripPrefix(StripPrefix(part, "or "), "and ");
            if (!TryParseLabel(item, announced: true, out var label) || label.Description is not null)
            {
                return false;
            }

            found.Add(label);
        }

        if (found.Count < 2)
        {
            return false;
        }

        labels.AddRange(found);
        return true;

        static string StripPrefix(string value, string prefix) =>
            value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? value[prefix.Length..].TrimStart() : value;
    }

    private static bool TryParseLabel(string item, bool announced, out OfflineLabel label)
    {
        label = null!;
        var name = CleanLabel(item);
        string? description = null;
        var described = DescribedItem().Match(name);
        if (described.Success && IsLabelLike(CleanLabel(described.Groups["name"].Value)))
        {
            name = CleanLabel(described.Groups["name"].Value);
            description = described.Groups["description"].Value.Trim();
        }

        if (!IsLabelLike(name))
        {
            return false;
        }

        label = new OfflineLabel(name, description, announced);
        return true;
    }

    private static bool IsLabelLike(string name)
    {
        if (name.Length is 0 or > MaxLabelLength || !name.Any(char.IsLetterOrDigit))
        {
            return false;
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        // "Answer with the label only." and "Why?" questions of several words are sentences; a single token keeps its
        // punctuation, as real label sets have it (BANKING77's "reverted_card_payment?").
        return words <= MaxLabelWords && !(words > 1 && (name.EndsWith('.') || name.EndsWith('?') || name.EndsWith('!')));
    }

    private static string CleanLabel(string value)
    {
        var cleaned = TrimWrappers(value);
        if (cleaned.Length > 1 && !cleaned.Contains(' ', StringComparison.Ordinal))
        {
            // "`card_arrival`." and "card_arrival," are the label card_arrival; a trailing '?' or '!' may be its own.
            cleaned = TrimWrappers(cleaned.TrimEnd('.', ',', ';'));
        }

        return cleaned.TrimEnd(',', ';').Trim();

        static string TrimWrappers(string text) =>
            text.Trim().Trim('*', '_', '`', '"', '\'', '\u201C', '\u201D', '\u2018', '\u2019').Trim();
    }

    [GeneratedRegex(@"^\s*[#>*_]*\s*(?:(?:customer|user|client|input|the)\s+)?(?:input|q|question|message|text|query|user|utterance)\s*[*_]*\s*:\s*[*_]*\s*(?<value>.*?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InputKey();

    [GeneratedRegex(@"^\s*[#>*_]*\s*(?:output|a|answer|intent|label|category|class|response|assistant)\s*[*_]*\s*:\s*[*_]*\s*(?<value>.*?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutputKey();

    [GeneratedRegex(@"^\s*(?:[-*\u2022+]|\d{1,3}[.)])\s+(?<item>.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\b(?:one\s+of(?:\s+[a-z]+){0,3}|labels|categories|intents|classes|options|choices|answers)\s*:\s*(?<list>\S.*?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineList();

    [GeneratedRegex(@"\b(?:one\s+of|following|labels?|categor(?:y|ies)|intents?|class(?:es)?|options?|choices?|answers?)\b.*:[*_\s]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Announcer();

    [GeneratedRegex(@"^(?<name>[^:\u2014\u2013]+?)\s*(?::|\s[-\u2014\u2013])\s+(?<description>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DescribedItem();
}
