using EvalLoop.Core.Runs;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>What every <see cref="IRegressionStore"/> must do; a subclass supplies the store and the runs it refers to.</summary>
public abstract class RegressionStoreContract<TStore>
    where TStore : IRegressionStore
{
    private static readonly DateTimeOffset At = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task<TStore> CreateStoreAsync();

    /// <summary>Makes the run <paramref name="runId"/> exist where the store can refer to it.</summary>
    protected abstract Task AddRunAsync(string runId, DateTimeOffset startedAt);

    [Fact]
    public async Task FlagsARunWithItsRegressionsByScorer()
    {
        // Arrange
        var store = await CreateStoreAsync();
        await AddRunAsync("run-1", At);
        await AddRunAsync("run-2", At.AddHours(1));
        var regressions = new[]
        {
            new RunRegression("run-2", "run-1", "qa", "exact-match", 1.0, 0.25, 0.0078125, 8, At.AddHours(2)),
            new RunRegression("run-2", "run-1", "qa", "contains", 0.875, 0.125, 0.03125, 8, At.AddHours(2)),
        };

        // Act
        await store.SaveAsync(regressions);

        // Assert
        (await store.ListForRunAsync("run-2")).Should().BeEquivalentTo(regressions).And.BeInAscendingOrder(r => r.Scorer, StringComparer.Ordinal);
        (await store.ListForRunAsync("run-1")).Should().BeEmpty();
    }

    [Fact]
    public async Task ListsRegressionsNewestFirstAndReplacesTheSameRunAndScorer()
    {
        // Arrange
        var store = await CreateStoreAsync();
        await AddRunAsync("run-1", At);
        await AddRunAsync("run-2", At.AddHours(1));
        await AddRunAsync("run-3", At.AddHours(2));
        await store.SaveAsync([new RunRegression("run-2", "run-1", "qa", "exact-match", 1.0, 0.5, 0.04, 8, At.AddHours(1))]);
        await store.SaveAsync([new RunRegression("run-3", "run-1", "other", "exact-match", 1.0, 0.0, 0.01, 8, At.AddHours(2))]);

        // Act
        await store.SaveAsync([new RunRegression("run-2", "run-1", "qa", "exact-match", 1.0, 0.25, 0.02, 8, At.AddHours(1))]);

        // Assert
        (await store.ListAsync()).Select(r => r.RunId).Should().Equal("run-3", "run-2");
        (await store.ListAsync("qa")).Should().ContainSingle().Which.PassRate.Should().Be(0.25);
        (await store.ListAsync(limit: 1)).Should().ContainSingle().Which.RunId.Should().Be("run-3");
    }

    [Fact]
    public async Task ListsEveryRegressionOfManyRunsByRunThenScorer()
    {
        // Arrange: more scorers on one run than a row cap per run would keep, and a run that is not flagged.
        var store = await CreateStoreAsync();
        await AddRunAsync("run-1", At);
        await AddRunAsync("run-2", At.AddHours(1));
        await AddRunAsync("run-3", At.AddHours(2));
        var many = Enumerable.Range(0, 60).Select(i => new RunRegression("run-3", "run-1", "qa", $"scorer-{i:D2}", 1.0, 0.5, 0.01, 8, At.AddHours(2))).ToList();
        await store.SaveAsync(many);
        await store.SaveAsync([new RunRegression("run-2", "run-1", "qa", "exact-match", 1.0, 0.25, 0.02, 8, At.AddHours(1))]);

        // Act
        var rows = await store.ListForRunsAsync(["run-3", "run-1", "run-2", "no-such-run"]);

        // Assert
        rows.Select(r => (r.RunId, r.Scorer)).Should().Equal(new[] { ("run-2", "exact-match") }.Concat(many.Select(r => (r.RunId, r.Scorer))));
        (await store.ListForRunsAsync([])).Should().BeEmpty();
        (await store.ListForRunAsync("run-2")).Should().ContainSingle().Which.PassRate.Should().Be(0.25);
    }
}
