namespace EvalLoop.Core.Runs;

/// <summary>
/// The run record ran no experiment, so there is nothing to show, analyse, resume or suggest from: it is the record a goal
/// draft suggestion belongs to (<see cref="RunModes.GoalDraft"/>).
/// </summary>
public sealed class RunHasNoExperimentException(string runId)
    : Exception($"Run '{runId}' ran no experiment: it is the record a goal draft suggestion belongs to.")
{
    public string RunId { get; } = runId;
}
