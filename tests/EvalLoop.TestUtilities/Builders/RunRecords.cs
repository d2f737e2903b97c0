using EvalLoop.Core.Runs;

namespace EvalLoop.TestUtilities.Builders;

/// <summary>Run records with placeholder fields, for tests about which runs a store or a list returns rather than what they hold.</summary>
public static class RunRecords
{
    /// <summary>A run of <paramref name="experiment"/> in <paramref name="mode"/>, completed unless <paramref name="status"/> says otherwise.</summary>
    public static RunRecord Of(string id, DateTimeOffset startedAt, string experiment = "qa", string mode = RunModes.Full, string status = RunStatus.Completed) => new()
    {
        Id = id,
        ExperimentName = experiment,
        ExperimentJson = "{}",
        PromptVersion = "p1",
        DatasetName = experiment,
        DatasetVersion = "d1",
        Provider = "offline",
        Model = "echo",
        Status = status,
        Mode = mode,
        StartedAt = startedAt,
    };
}
