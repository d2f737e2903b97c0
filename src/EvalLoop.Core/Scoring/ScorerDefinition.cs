using System.Text.Json;
using EvalLoop.Core.Models;

namespace EvalLoop.Core.Scoring;

/// <summary>
/// A configured scorer: a built-in <see cref="Type"/> with a <see cref="Name"/> (what reports and targets call it),
/// a pass <see cref="Threshold"/> and type-specific <see cref="Options"/> (a JSON object).
/// </summary>
/// <param name="SourcePath">The file it was defined in, so option errors can name file and line.</param>
/// <param name="Line">The line of the definition in <paramref name="SourcePath"/>.</param>
/// <param name="Judge">
/// The judge model of a model-graded scorer: the scorer file's <c>judge:</c> mapping, else the experiment's model when
/// that is a real provider; null when there is none (model-graded scorers then refuse to load).
/// </param>
public sealed record ScorerDefinition(
    string Name,
    string Type,
    double? Threshold,
    JsonElement? Options,
    string? SourcePath = null,
    int? Line = null,
    ModelSettings? Judge = null);
