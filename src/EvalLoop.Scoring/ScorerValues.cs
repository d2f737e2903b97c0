using System.Globalization;
using System.Text.Json;
using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring;

/// <summary>How scorers read the output and the expected value, and the small text helpers their rationales share.</summary>
internal static class ScorerValues
{
    public const string NoExpected = "the case has no expected value to compare with";

    /// <summary>The output as a JavaScript value: the model's text as a string, or the JSON value <c>evalloop score</c> was given.</summary>
    public static object? Output(ScoringInput input) =>
        input.OutputValue is { } value ? JsJson.FromElement(value) : input.Output;

    /// <summary>The expected value as a JavaScript value; false when the case has none (JSON <c>null</c> is a value).</summary>
    public static bool TryGetExpected(ScoringInput input, out object? expected)
    {
        if (input.Case.Expected is { ValueKind: not JsonValueKind.Undefined } element)
        {
            expected = JsJson.FromElement(element);
            return true;
        }

        expected = null;
        return false;
    }

    /// <summary>A finite number from a JSON number or from text that is one (surrounding whitespace allowed).</summary>
    public static bool TryGetNumber(object? value, out double number)
    {
        number = value switch
        {
            double d => d,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        return double.IsFinite(number);
    }

    public static string Shorten(string text, int max = 60)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= max ? single : single[..(max - 3)] + "...";
    }

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
