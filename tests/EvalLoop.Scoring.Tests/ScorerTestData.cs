using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Tests;

/// <summary>Builds scorer definitions and scoring inputs the way the experiment loader and runner would.</summary>
internal static class ScorerTestData
{
    public const string SourcePath = "/workspace/experiments/demo.yaml";
    public const int Line = 12;

    public static ScorerDefinition Definition(string type, string? optionsJson = null, double? threshold = null, string name = "checker") =>
        new(name, type, threshold, JsonText.ParseOrNull(optionsJson), SourcePath, Line);

    /// <param name="expectedJson">The case's expected value as JSON (e.g. <c>"\"Paris\""</c>), or null for none.</param>
    public static ScoringInput Input(string output, string? expectedJson) =>
        new(new DatasetCase("case-1", JsonText.Parse("\"What is the capital of France?\""), JsonText.ParseOrNull(expectedJson), null, null), output);

    /// <summary>A JSON string literal for <paramref name="text"/>.</summary>
    public static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
