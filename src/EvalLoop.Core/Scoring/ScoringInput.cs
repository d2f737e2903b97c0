using EvalLoop.Core.Datasets;

namespace EvalLoop.Core.Scoring;

/// <summary>What a scorer sees: the case (input, expected, metadata) and the model's output.</summary>
public sealed record ScoringInput(DatasetCase Case, string Output);
