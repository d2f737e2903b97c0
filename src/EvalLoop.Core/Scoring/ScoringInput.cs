using System.Text.Json;
using EvalLoop.Core.Datasets;

namespace EvalLoop.Core.Scoring;

/// <summary>What a scorer sees: the case (input, expected, metadata) and the model's output.</summary>
/// <param name="Output">The output as text (a model's answer; for a non-string <paramref name="OutputValue"/>, its compact JSON).</param>
/// <param name="OutputValue">
/// The output as a JSON value when it is not plain model text (<c>evalloop score</c> reads outputs such as
/// <c>{"a": 1}</c> from a file); null for a model's answer, which is always a string.
/// </param>
/// <param name="Trial">
/// Which trial of the case produced the output (1-based). A scorer that calls a model (a judge) passes it on so that
/// trials are separate calls, also for the response cache: otherwise a judge grading the same answer in every trial would
/// be asked once, and its disagreement with itself could never show.
/// </param>
public sealed record ScoringInput(DatasetCase Case, string Output, JsonElement? OutputValue = null, int Trial = 1);
