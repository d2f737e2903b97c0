namespace EvalLoop.Core.Analysis;

/// <summary>Where an analysis is: a stage and, when the stage counts something, how far it got.</summary>
/// <param name="Stage"><c>loading</c>, <c>embedding</c>, <c>clustering</c>, <c>naming</c> or <c>saving</c>.</param>
/// <param name="Completed">Items done in this stage (texts embedded, clusters named...).</param>
/// <param name="Total">Items in this stage; 0 when the stage does not count.</param>
public sealed record AnalysisProgress(string Stage, int Completed = 0, int Total = 0);
