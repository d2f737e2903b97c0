using System.Text.Json;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// A judge's reply, parsed strictly: exactly one JSON object (optionally inside a single Markdown code fence, which
/// some local models add even when asked for JSON) with a non-empty string <c>reasoning</c> and a string <c>choice</c>
/// that is, after trimming, exactly one of the allowed choices. Anything else is unparseable, and the caller records an
/// error on the case: a reply is never searched for something that looks like a choice.
/// </summary>
public sealed record JudgeVerdict(string Reasoning, string Choice)
{
    public static bool TryParse(string? reply, IReadOnlyCollection<string> choices, out JudgeVerdict? verdict, out string problem)
    {
        ArgumentNullException.ThrowIfNull(choices);
        verdict = null;
        var text = (reply ?? string.Empty).Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            if (firstLineEnd < 0 || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < firstLineEnd + 4)
            {
                problem = "the reply opens a code fence it does not close";
                return false;
            }

            text = text[(firstLineEnd + 1)..^3].Trim();
        }

        if (text.Length == 0)
        {
            problem = "the reply is empty";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the reply is JSON but not an object";
                return false;
            }

            if (!root.TryGetProperty("choice", out var choiceElement) || choiceElement.ValueKind != JsonValueKind.String)
            {
                problem = "the reply has no \"choice\" text";
                return false;
            }

            if (!root.TryGetProperty("reasoning", out var reasoningElement) || reasoningElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(reasoningElement.GetString()))
            {
                problem = "the reply has no \"reasoning\" text";
                return false;
            }

            var choice = choiceElement.GetString()!.Trim();
            if (!choices.Contains(choice, StringComparer.Ordinal))
            {
                problem = $"the judge chose \"{ScorerValues.Shorten(choice, 40)}\", which is not one of {string.Join(", ", choices)}";
                return false;
            }

            verdict = new JudgeVerdict(reasoningElement.GetString()!.Trim(), choice);
            problem = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            problem = "the reply is not a JSON object";
            return false;
        }
    }
}
