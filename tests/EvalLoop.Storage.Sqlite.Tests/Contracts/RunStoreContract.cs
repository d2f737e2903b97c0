using System.Collections;
using EvalLoop.Core.Runs;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every store of runs and their results must do. A subclass supplies the store; every call to
/// <see cref="CreateStoreAsync"/> within one test returns a store over the same empty database.
/// </summary>
public abstract class RunStoreContract<TStore>
    where TStore : IRunStore, IRunResultStore
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task SavesAndGetsBackEveryFieldOfARun()
    {
        var store = await CreateStoreAsync();
        var run = Run("run-1") with
        {
            ExperimentPath = "experiments/qa.yaml",
            Split = "test",
            Mode = "rerun-failed",
            ParentRunId = "run-0",
            PlannedResults = 250,
            FinishedAt = Start.AddMinutes(3).AddMilliseconds(250),
            WallSeconds = 180.25,
            Error = "Could not store results: disk full",
        };

        await store.SaveRunAsync(run);
        var loaded = await store.GetRunAsync("run-1");

        loaded.Should().Be(run);
    }

    [Fact]
    public async Task KeepsTheInstantOfATimestampSavedWithAnOffset()
    {
        var store = await CreateStoreAsync();
        var startedAt = new DateTimeOffset(2025, 6, 30, 23, 59, 58, 123, TimeSpan.FromHours(2));
        await store.SaveRunAsync(Run("run-1") with { StartedAt = startedAt, FinishedAt = startedAt.AddMilliseconds(1) });

        var loaded = await store.GetRunAsync("run-1");

        loaded!.StartedAt.Should().Be(startedAt, "the same instant, whatever offset it comes back with");
        loaded.FinishedAt.Should().Be(startedAt.AddMilliseconds(1));
    }

    [Fact]
    public async Task SavingARunAgainReplacesItsRecordAndKeepsItsResults()
    {
        var store = await CreateStoreAsync();
        var run = Run("run-1");
        await store.SaveRunAsync(run);
        await store.AppendAsync([Result("run-1", "a", 0)]);

        var finished = run with { Status = RunStatus.Completed, FinishedAt = Start.AddMinutes(1), WallSeconds = 60 };
        await store.SaveRunAsync(finished);

        (await store.GetRunAsync("run-1")).Should().Be(finished);
        (await store.ListRunsAsync()).Should().ContainSingle();
        (await store.ReadAsync("run-1").ToListAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task GettingAnUnknownRunReturnsNull()
    {
        var store = await CreateStoreAsync();

        var loaded = await store.GetRunAsync("missing");

        loaded.Should().BeNull();
    }

    [Fact]
    public async Task ListsRunsNewestFirst()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("middle", startedAt: Start.AddHours(1)));
        await store.SaveRunAsync(Run("oldest", startedAt: Start));
        await store.SaveRunAsync(Run("newest", startedAt: Start.AddHours(2)));

        var runs = await store.ListRunsAsync();

        runs.Select(r => r.Id).Should().Equal("newest", "middle", "oldest");
    }

    [Fact]
    public async Task ListsRunsOfOneModeWithTheLimitAppliedAfterTheFilter()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.SaveRunAsync(Run($"full-{i}", "qa", Start.AddMinutes(i)));
            for (var j = 0; j < 4; j++)
            {
                await store.SaveRunAsync(Run($"verify-{i}-{j}", "qa", Start.AddMinutes(i).AddSeconds(j + 1)) with { Mode = "suggest-verify", ParentRunId = $"full-{i}" });
            }
        }

        await store.SaveRunAsync(Run("other-full", "math", Start.AddHours(1)));

        var full = await store.ListRunsAsync("qa", "full", 2);
        var everyFull = await store.ListRunsAsync(null, "full", 10);
        var verify = await store.ListRunsAsync("qa", "suggest-verify", 100);

        full.Select(r => r.Id).Should().Equal("full-2", "full-1");
        everyFull.Select(r => r.Id).Should().Equal("other-full", "full-2", "full-1", "full-0");
        verify.Should().HaveCount(12).And.OnlyContain(r => r.Mode == "suggest-verify");
    }

    [Fact]
    public async Task ListsOnlyRunsOfTheRequestedExperimentUpToTheLimit()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 4; i++)
        {
            await store.SaveRunAsync(Run($"qa-{i}", "qa", Start.AddMinutes(i)));
            await store.SaveRunAsync(Run($"math-{i}", "math", Start.AddMinutes(i).AddSeconds(30)));
        }

        var qa = await store.ListRunsAsync("qa", limit: 3);
        var all = await store.ListRunsAsync(limit: 3);
        var none = await store.ListRunsAsync("unknown");

        qa.Select(r => r.Id).Should().Equal("qa-3", "qa-2", "qa-1");
        all.Select(r => r.Id).Should().Equal("math-3", "qa-3", "math-2");
        none.Should().BeEmpty();
    }

    [Fact]
    public async Task ReadsBackEveryFieldOfAppendedResultsWithTheirScoresInOrder()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        var scored = Result("run-1", "case-a", 0) with
        {
            Output = "Paris, the capital of France.",
            Passed = false,
            Scores =
            [
                new ScoreRecord("zeta-judge", 0.25, false, "Mentions the capital but adds detail.", null),
                new ScoreRecord("alpha-exact", null, false, null, "expected value is missing"),
                new ScoreRecord("mid-contains", 1.0, true, "contains 'Paris'", null),
            ],
            InputTokens = 1234,
            OutputTokens = 56,
            Cost = 0.0000001234567890123456789m,
            CacheHit = true,
            LatencyMs = 1234.5678,
            CompletedAt = Start.AddSeconds(2).AddMilliseconds(345),
        };
        var errored = Result("run-1", "case-b", 1, trial: 2) with
        {
            Output = null,
            ErrorKind = "http_429",
            ErrorMessage = "Too Many Requests (retry after 20s)",
            Passed = false,
            Scores = [],
            Cost = 0m,
            LatencyMs = 0.5,
            CompletedAt = Start.AddSeconds(3),
        };

        await store.AppendAsync([scored, errored]);
        var read = await store.ReadAsync("run-1").ToListAsync();

        read.Should().BeEquivalentTo([scored, errored], o => o.WithStrictOrdering());
        read[0].Cost.Should().Be(0.0000001234567890123456789m, "a cost is a decimal and must not pass through a double");
        read[0].CompletedAt.Should().Be(Start.AddSeconds(2).AddMilliseconds(345));
    }

    [Fact]
    public async Task ReadsResultsInOrdinalThenTrialOrderWhateverTheAppendOrder()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        await store.AppendAsync([Result("run-1", "c", 2, trial: 2), Result("run-1", "a", 0, trial: 2), Result("run-1", "b", 1)]);
        await store.AppendAsync([Result("run-1", "c", 2), Result("run-1", "a", 0), Result("run-1", "b", 1, trial: 2)]);

        var read = await store.ReadAsync("run-1").ToListAsync();

        read.Select(r => (r.CaseId, r.Trial)).Should().Equal(("a", 1), ("a", 2), ("b", 1), ("b", 2), ("c", 1), ("c", 2));
    }

    [Fact]
    public async Task ReadsOnlyTheResultsOfTheRequestedRun()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        await store.SaveRunAsync(Run("run-2"));
        await store.AppendAsync([Result("run-1", "a", 0), Result("run-2", "a", 0), Result("run-2", "b", 1)]);

        var first = await store.ReadAsync("run-1").ToListAsync();
        var unknown = await store.ReadAsync("run-3").ToListAsync();

        first.Should().ContainSingle().Which.RunId.Should().Be("run-1");
        unknown.Should().BeEmpty();
    }

    [Fact]
    public async Task AppendingAResultAgainReplacesItAndItsScores()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        var first = Result("run-1", "a", 0) with
        {
            Output = "first try",
            Passed = false,
            Scores = [new ScoreRecord("exact", 0, false, null, null), new ScoreRecord("judge", 0.2, false, "weak", null)],
        };
        var retry = first with
        {
            Output = "second try",
            Passed = true,
            Scores = [new ScoreRecord("exact", 1, true, null, null)],
            CompletedAt = Start.AddMinutes(1),
        };
        await store.AppendAsync([first, Result("run-1", "b", 1)]);

        await store.AppendAsync([retry]);
        await store.AppendAsync([retry]);
        var read = await store.ReadAsync("run-1").ToListAsync();

        read.Should().HaveCount(2);
        read[0].Should().BeEquivalentTo(retry, "the stored result is replaced, scores and all");
    }

    [Fact]
    public async Task AFailedBatchLeavesNothingOfThatBatch()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        var original = Result("run-1", "a", 0) with { Output = "original", Scores = [new ScoreRecord("exact", 1, true, null, null)] };
        await store.AppendAsync([original, Result("run-1", "b", 1)]);

        var broken = new[]
        {
            original with { Output = "replaced", Scores = [] },
            Result("run-1", "c", 2),
            Result("run-1", null!, 3), // a case id is required: the store rejects this row after writing the others
        };
        var append = () => store.AppendAsync(broken);

        await append.Should().ThrowAsync<Exception>();
        var read = await store.ReadAsync("run-1").ToListAsync();
        read.Select(r => r.CaseId).Should().Equal("a", "b");
        read[0].Should().BeEquivalentTo(original, "the replacement in the failed batch was rolled back too");
    }

    [Fact]
    public async Task ABatchCancelledHalfWayStoresNothingOfIt()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        using var cancellation = new CancellationTokenSource();
        var batch = new CancelsWhenRead(Enumerable.Range(0, 100).Select(i => Result("run-1", $"c{i}", i)).ToList(), 50, cancellation);

        var append = () => store.AppendAsync(batch, cancellation.Token);

        await append.Should().ThrowAsync<OperationCanceledException>();
        (await store.ReadAsync("run-1").ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task SummarizesEveryFigureOfARun()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        await store.SaveRunAsync(Run("other"));
        static ScoreRecord Length(double? score, bool passed, string? error = null) => new("length", score, passed, null, error);
        static ScoreRecord Exact(double score, bool passed) => new("exact", score, passed, null, null);
        var results = new[]
        {
            Result("run-1", "a", 0) with { Output = "x", Passed = true, Scores = [Length(1.0, true), Exact(1, true)], InputTokens = 100, OutputTokens = 10, Cost = 0.1m, LatencyMs = 100 },
            Result("run-1", "a", 0, trial: 2) with { Output = "x", Passed = true, Scores = [Length(0.8, true), Exact(1, true)], InputTokens = 100, OutputTokens = 10, Cost = 0.2m, CacheHit = true, LatencyMs = 200 },
            Result("run-1", "b", 1) with { Output = "y", Passed = false, Scores = [Length(0.5, true), Exact(0, false)], InputTokens = 200, OutputTokens = 20, Cost = 0.000000123456789m, CacheHit = true, LatencyMs = 300 },
            // Output but no "exact" row: the scorer could not run, and this result counts as not passing it.
            Result("run-1", "c", 2) with { Output = "z", Passed = false, Scores = [Length(null, false, "boom")], InputTokens = 300, OutputTokens = 30, Cost = 1.5m, LatencyMs = 400 },
            Result("run-1", "d", 3) with { Output = null, ErrorKind = "timeout", Passed = false, Scores = [], InputTokens = 0, OutputTokens = 0, Cost = 0m, LatencyMs = 5000 },
            Result("run-1", "e", 4) with { Output = null, ErrorKind = "http_429", Passed = false, Scores = [], InputTokens = 0, OutputTokens = 0, Cost = 0m, LatencyMs = 10 },
            Result("run-1", "f", 5) with { Output = null, ErrorKind = "timeout", Passed = false, Scores = [], InputTokens = 0, OutputTokens = 0, Cost = 0m, LatencyMs = 6000 },
        };
        await store.AppendAsync([results[6], results[3], results[1]]);
        await store.AppendAsync([results[0], results[2], results[4], results[5]]);
        await store.AppendAsync([Result("other", "a", 0) with { Passed = true, Scores = [Exact(1, true)], LatencyMs = 99999, Cost = 5m }]);

        var summary = await store.SummarizeAsync("run-1");

        summary.Results.Should().Be(7);
        summary.Passed.Should().Be(2);
        summary.Failed.Should().Be(2, "b and c have an output that did not pass");
        summary.Errored.Should().Be(3);
        summary.InputTokens.Should().Be(700);
        summary.OutputTokens.Should().Be(70);
        summary.Cost.Should().Be(1.800000123456789m);
        summary.CacheHits.Should().Be(2);
        summary.LatencyP50Ms.Should().Be(300, "nearest rank 4 of the 7 sorted latencies 10, 100, 200, 300, 400, 5000, 6000");
        summary.LatencyP95Ms.Should().Be(6000, "nearest rank ceil(6.65) = 7");
        summary.ErrorKinds.Should().BeEquivalentTo(new Dictionary<string, int> { ["timeout"] = 2, ["http_429"] = 1 });
        summary.Scorers.Select(s => s.Scorer).Should().Equal(["length", "exact"], "scorers are listed in order of first appearance");
        var length = summary.Scorers[0];
        length.Mean.Should().BeApproximately(2.3 / 3, 1e-12);
        length.PassRate.Should().BeApproximately(3.0 / 7, 1e-12);
        length.Scored.Should().Be(3);
        length.Errors.Should().Be(1);
        var exact = summary.Scorers[1];
        exact.Mean.Should().BeApproximately(2.0 / 3, 1e-12);
        exact.PassRate.Should().BeApproximately(2.0 / 7, 1e-12, "c has no exact row and d, e, f no output: only a/1 and a/2 pass");
        exact.Scored.Should().Be(3);
        exact.Errors.Should().Be(0);
    }

    [Fact]
    public async Task PicksLatencyPercentilesByNearestRank()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));
        await store.AppendAsync(Enumerable.Range(1, 20).Reverse().Select(i => Result("run-1", $"c{i}", i) with { LatencyMs = i }).ToList());

        var summary = await store.SummarizeAsync("run-1");

        summary.LatencyP50Ms.Should().Be(10, "rank ceil(0.5 * 20) = 10");
        summary.LatencyP95Ms.Should().Be(19, "rank ceil(0.95 * 20) = 19");
    }

    [Fact]
    public async Task SummarizesARunWithoutResultsAsZeros()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("run-1"));

        var summary = await store.SummarizeAsync("run-1");

        summary.Should().BeEquivalentTo(new RunSummary());
    }

    [Fact]
    public async Task StreamsARunOfTenThousandResultsInOrder()
    {
        var store = await CreateStoreAsync();
        await store.SaveRunAsync(Run("big"));
        const int Count = 10_000;
        for (var start = 0; start < Count; start += 1_000)
        {
            await store.AppendAsync(Enumerable.Range(start, 1_000).Select(i => Result("big", $"case-{i:D5}", i) with
            {
                Output = $"output {i}",
                Passed = i % 2 == 0,
                Scores = [new ScoreRecord("exact", i % 2, i % 2 == 0, null, null), new ScoreRecord("judge", 0.5, true, "ok", null)],
            }).ToList());
        }

        var read = 0;
        var previous = -1;
        await foreach (var result in store.ReadAsync("big"))
        {
            result.Ordinal.Should().BeGreaterThan(previous);
            result.Scores.Should().HaveCount(2);
            previous = result.Ordinal;
            read++;
        }

        read.Should().Be(Count);
        (await store.SummarizeAsync("big")).Passed.Should().Be(Count / 2);
    }

    protected static RunRecord Run(string id, string experiment = "qa", DateTimeOffset? startedAt = null) => new()
    {
        Id = id,
        ExperimentName = experiment,
        ExperimentJson = $$"""{"name":"{{experiment}}","trials":2}""",
        PromptVersion = "0123456789ab",
        DatasetName = "qa",
        DatasetVersion = "f00d",
        Provider = "offline",
        Model = "echo",
        Status = RunStatus.Running,
        PlannedResults = 10,
        StartedAt = startedAt ?? Start,
    };

    protected static CaseResult Result(string runId, string caseId, int ordinal, int trial = 1) => new()
    {
        RunId = runId,
        CaseId = caseId,
        Trial = trial,
        Ordinal = ordinal,
        Output = $"answer to {caseId}",
        Passed = true,
        Scores = [new ScoreRecord("exact", 1, true, "matches", null)],
        InputTokens = 10,
        OutputTokens = 2,
        Cost = 0.00002m,
        LatencyMs = 12.5,
        CompletedAt = Start.AddSeconds(ordinal),
    };

    /// <summary>A batch that cancels <c>cancellation</c> when the store reaches item <c>at</c>, as a caller giving up mid-write would.</summary>
    private sealed class CancelsWhenRead(IReadOnlyList<CaseResult> items, int at, CancellationTokenSource cancellation) : IReadOnlyList<CaseResult>
    {
        public int Count => items.Count;

        public CaseResult this[int index]
        {
            get
            {
                if (index == at)
                {
                    cancellation.Cancel();
                }

                return items[index];
            }
        }

        public IEnumerator<CaseResult> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
