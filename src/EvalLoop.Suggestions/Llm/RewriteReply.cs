using System.Text.Json;
using EvalLoop.Core.Experiments;

namespace EvalLoop.Suggestions.Llm;

/// <summary>
/// Parses the rewrite step's reply strictly: exactly one JSON object (a Markdown code fence around it is tolerated)
/// with a string <c>user</c> and a string or null <c>system</c>; the user template must parse and keep every
/// placeholder of the original. Anything else is a <see cref="FormatException"/> saying what was wrong.
/// </summary>
public static class RewriteReply
{
    public static PromptDefinition Parse(string? reply, PromptDefinition original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var root = JsonReply.ReadObject(reply);
        if (!root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(user.GetString()))
        {
            throw new FormatException("the reply has no non-empty \"user\" string");
        }

        string? system = null;
        if (root.TryGetProperty("system", out var systemElement))
        {
            system = systemElement.ValueKind switch
            {
                JsonValueKind.String => systemElement.GetString(),
                JsonValueKind.Null => null,
                _ => throw new FormatException("\"system\" must be a string or null"),
            };
        }

        var proposed = new PromptDefinition(string.IsNullOrWhiteSpace(system) ? null : system, user.GetString()!);
        PromptTemplate template;
        try
        {
            template = PromptTemplate.Parse(proposed.User);
            if (proposed.System is not null)
            {
                PromptTemplate.Parse(proposed.System);
            }
        }
        catch (PromptTemplateException ex)
        {
            throw new FormatException($"the rewritten prompt is not a valid template: {ex.Message}", ex);
        }

        var missing = Placeholders(original).Except(template.Variables.Concat(proposed.System is null ? [] : PromptTemplate.Parse(proposed.System).Variables), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"the rewritten prompt dropped the placeholder(s) {string.Join(", ", missing.Select(m => "{{" + m + "}}"))}");
        }

        return proposed;
    }

    /// <summary>The placeholders of the prompt's user template (the ones that carry each case into the prompt).</summary>
    public static IReadOnlyList<string> Placeholders(PromptDefinition prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return PromptTemplate.Parse(prompt.User).Variables.Distinct(StringComparer.Ordinal).ToList();
    }
}
