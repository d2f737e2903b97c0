using System.Text.Json;

namespace EvalLoop.Core.Experiments;

/// <summary>The JSON form of an experiment that a run keeps, so resuming or reporting uses exactly what ran.</summary>
public static class ExperimentSnapshot
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(ExperimentDefinition experiment) => JsonSerializer.Serialize(experiment, Json);

    public static ExperimentDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<ExperimentDefinition>(json, Json)
        ?? throw new InvalidOperationException("The run has no experiment snapshot.");
}
