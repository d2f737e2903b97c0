namespace EvalLoop.Models.Tests.Offline;

/// <summary>One line of datasets/banking77.jsonl.</summary>
internal sealed record Banking77Case(string Id, string Input, string Expected, string Split);
