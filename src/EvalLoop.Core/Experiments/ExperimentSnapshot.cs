using System.Text.Json;
using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Experiments;

/// <summary>The JSON form of an experiment that a run keeps, so resuming or reporting uses exactly what ran.</summary>
public static class ExperimentSnapshot
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(ExperimentDefinition experiment) => JsonSerializer.Serialize(experiment, Json);

    /// <summary>The experiment <paramref name="run"/> ran.</summary>
    /// <exception cref="RunHasNoExperimentException">The run is a goal draft's record and ran no experiment.</exception>
    public static ExperimentDefinition Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Mode == RunModes.GoalDraft ? throw new RunHasNoExperimentException(run.Id) : Deserialize(run.ExperimentJson);
    }

    public static ExperimentDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<ExperimentDefinition>(json, Json)
        ?? throw new InvalidOperationException("The run has no experiment snapshot.");
}
