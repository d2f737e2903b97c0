namespace EvalLoop.Models.Offline;

/// <summary>The offline model's answer and the cosine similarity that chose it (0 when nothing overlapped).</summary>
internal readonly record struct OfflinePrediction(string Answer, float Similarity);
