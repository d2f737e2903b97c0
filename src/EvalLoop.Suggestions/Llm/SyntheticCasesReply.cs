using System.Text.Json;

namespace EvalLoop.Suggestions.Llm;

/// <summary>
/// Parses the synthetic-cases reply strictly: exactly one JSON object (a Markdown code fence around it is tolerated)
/// with a <c>cases</c> array of objects, each with a non-empty string <c>input</c> and a string <c>expected</c>.
/// Anything else is a <see cref="FormatException"/> saying what was wrong; labels are checked by the caller.
/// </summary>
public static class SyntheticCasesReply
{
    public static IReadOnlyList<(string Input, string Expected)> Parse(string? reply)
    {
        var root = JsonReply.ReadObject(reply);
        if (!root.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the reply has no \"cases\" array");
        }

        var result = new List<(string, string)>();
        var index = 0;
        foreach (var item in cases.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(input.GetString())
                || !item.TryGetProperty("expected", out var expected) || expected.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"cases[{index}] is not {{\"input\": string, \"expected\": string}}");
            }

            result.Add((input.GetString()!.Trim(), expected.GetString()!.Trim()));
            index++;
        }

        return result;
    }
}
