namespace EvalLoop.Core.Scoring;

/// <summary>
/// Tokens and cost of the judge model calls a model-graded scorer made for one output, kept apart from the task
/// model's figures so a run shows what grading cost. A response served from the cache costs 0.
/// </summary>
public sealed record JudgeUsage(long InputTokens, long OutputTokens, decimal Cost, bool CacheHit = false);
