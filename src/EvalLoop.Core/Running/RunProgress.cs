namespace EvalLoop.Core.Running;

/// <summary>A progress snapshot: results finished so far in this invocation (plus those already stored when resuming).</summary>
public sealed record RunProgress(string RunId, int Completed, int Total, int Passed, int Errored, int CacheHits);
