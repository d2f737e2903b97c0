namespace EvalLoop.Models.Offline;

/// <summary>A few-shot example found in a prompt: an input and the answer the prompt gives for it.</summary>
internal sealed record OfflineExample(string Input, string Output);
