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
        (await store.ListNewestRunsAsync()).Select(r => r.RunId).Should().Equal("run-3", "run-2");
        (await store.ListNewestRunsAsync("qa")).Should().ContainSingle().Which.PassRate.Should().Be(0.25);
        (await store.ListNewestRunsAsync(runLimit: 1)).Should().ContainSingle().Which.RunId.Should().Be("run-3");
    }

    [Fact]
    public async Task ListsEveryScorerOfTheNewestFlaggedRunsUpToTheLimitOfRuns()
    {
        // Arrange: four flagged runs of "qa" (the newest on 60 scorers, more than any rows-per-run guess would read) and
        // a newer one of another experiment. run-4's newest row is newer than run-5's rows though most of its rows are
        // older: a run is as new as its latest row. run-2 and run-3 were flagged at the same instant: by run id.
        var store = await CreateStoreAsync();
        foreach (var i in Enumerable.Range(0, 7))
        {
            await AddRunAsync($"run-{i}", At.AddHours(i));
        }

        var many = Enumerable.Range(0, 60).Select(i => Regression("run-5", $"scorer-{59 - i:D2}", At.AddHours(5))).ToList();
        await store.SaveAsync(many);
        await store.SaveAsync([Regression("run-4", "exact-match", At.AddHours(4)), Regression("run-4", "contains", At.AddHours(4))]);
        await store.SaveAsync([Regression("run-4", "contains", At.AddHours(6))]);
        await store.SaveAsync([Regression("run-3", "exact-match", At.AddHours(3)), Regression("run-2", "exact-match", At.AddHours(3))]);
        await store.SaveAsync([Regression("run-1", "exact-match", At.AddHours(1))]);
        await store.SaveAsync([Regression("run-6", "exact-match", At.AddHours(7), experiment: "other")]);

        // Act
        var two = await store.ListNewestRunsAsync("qa", runLimit: 2);
        var qa = await store.ListNewestRunsAsync("qa");
        var all = await store.ListNewestRunsAsync(runLimit: 3);
        var none = await store.ListNewestRunsAsync("qa", runLimit: 0);

        // Assert
        var scorers = many.Select(r => r.Scorer).Order(StringComparer.Ordinal).ToList();
        two.Select(r => (r.RunId, r.Scorer)).Should().Equal(
            new[] { ("run-4", "contains"), ("run-4", "exact-match") }.Concat(scorers.Select(s => ("run-5", s))),
            "the limit counts runs, and every scorer of a listed run is listed, by scorer");
        qa.Select(r => r.RunId).Distinct().Should().Equal("run-4", "run-5", "run-2", "run-3", "run-1");
        qa.Should().OnlyContain(r => r.ExperimentName == "qa");
        qa.Should().HaveCount(2 + 60 + 3);
        all.Select(r => r.RunId).Distinct().Should().Equal("run-6", "run-4", "run-5");
        none.Should().BeEmpty();
    }

    private static RunRegression Regression(string runId, string scorer, DateTimeOffset detectedAt, string experiment = "qa") =>
        new(runId, "run-0", experiment, scorer, 1.0, 0.5, 0.01, 8, detectedAt);

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
