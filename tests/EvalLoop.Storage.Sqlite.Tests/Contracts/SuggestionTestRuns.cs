using EvalLoop.Core.Runs;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>The run a suggestion refers to; its fields do not matter to the suggestion tests.</summary>
internal static class SuggestionTestRuns
{
    public static RunRecord Run(string id, DateTimeOffset startedAt) => new()
    {
        Id = id,
        ExperimentName = "qa",
        ExperimentJson = """{"name":"qa"}""",
        PromptVersion = "0123456789ab",
        DatasetName = "qa",
        DatasetVersion = "f00d",
        Provider = "offline",
        Model = "echo",
        Status = RunStatus.Completed,
        StartedAt = startedAt,
    };
}
