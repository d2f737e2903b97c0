using EvalLoop.Core.Scheduling;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>What every <see cref="IJobHistoryStore"/> must do; a subclass supplies the store over empty storage.</summary>
public abstract class JobHistoryStoreContract<TStore>
    where TStore : IJobHistoryStore
{
    private static readonly DateTimeOffset At = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task ListsTheLastExecutionsOfOneExperimentNewestFirst()
    {
        // Arrange
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.RecordAsync(Execution("qa", JobOutcome.Succeeded, At.AddMinutes(i), runId: $"run-{i}"));
        }

        await store.RecordAsync(Execution("other", JobOutcome.Succeeded, At));

        // Act
        var last3 = await store.ListAsync("qa", limit: 3);

        // Assert
        last3.Select(e => e.RunId).Should().Equal("run-4", "run-3", "run-2");
        last3.Should().OnlyContain(e => e.ExperimentName == "qa" && e.Id > 0);
        (await store.ListAsync("nothing")).Should().BeEmpty();
    }

    [Fact]
    public async Task KeepsEveryFieldOfAFailedExecution()
    {
        // Arrange
        var store = await CreateStoreAsync();
        var failed = Execution("qa", JobOutcome.Failed, At, error: "dataset not found: <datasets/x.jsonl>") with { Trigger = JobTriggers.Schedule };

        // Act
        var recorded = await store.RecordAsync(failed);

        // Assert
        recorded.Id.Should().BePositive();
        (await store.ListAsync("qa")).Should().ContainSingle().Which.Should().BeEquivalentTo(failed with { Id = recorded.Id });
    }

    [Fact]
    public async Task RefusesAnUnknownOutcome()
    {
        var store = await CreateStoreAsync();

        await FluentActions.Awaiting(() => store.RecordAsync(Execution("qa", "exploded", At))).Should().ThrowAsync<ArgumentException>();
    }

    private static JobExecution Execution(string experiment, string outcome, DateTimeOffset startedAt, string? runId = null, string? error = null) => new()
    {
        ExperimentName = experiment,
        Trigger = JobTriggers.Manual,
        Outcome = outcome,
        StartedAt = startedAt,
        FinishedAt = startedAt.AddSeconds(3),
        RunId = runId,
        Error = error,
    };
}
