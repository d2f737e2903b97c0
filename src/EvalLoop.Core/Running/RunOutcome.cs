using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Running;

/// <summary>What a run invocation produced: the final record and the summary of everything stored for it.</summary>
public sealed record RunOutcome(RunRecord Run, RunSummary Summary, ExperimentEvaluation Evaluation)
{
    public bool Interrupted => Run.Status == RunStatus.Interrupted;
}
