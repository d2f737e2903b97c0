using System.Diagnostics;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;
using Xunit.Abstractions;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>
/// Guards against a regression to row-by-row transactions or unprepared statements (which are 10-100x slower). The
/// figures are CPU time of this process, and the class runs alone, so a busy build machine does not fail them; the wall
/// time is written to the test output.
/// </summary>
[Collection(nameof(ThroughputTests))]
public sealed class ThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task AppendsAtLeastFiveThousandResultsPerSecond()
    {
        var store = new SqliteRunStore(_database.Database);
        await store.SaveRunAsync(new RunRecord
        {
            Id = "run", ExperimentName = "qa", ExperimentJson = "{}", PromptVersion = "p", DatasetName = "qa", DatasetVersion = "v",
            Provider = "offline", Model = "echo", Status = RunStatus.Running, StartedAt = DateTimeOffset.UnixEpoch,
        });
        const int Count = 20_000;
        const int BatchSize = 200;
        var batches = Enumerable.Range(0, Count / BatchSize)
            .Select(b => Enumerable.Range(b * BatchSize, BatchSize).Select(i => new CaseResult
            {
                RunId = "run",
                CaseId = $"case-{i:D6}",
                Trial = 1,
                Ordinal = i,
                Output = "The capital of France is Paris, a city on the Seine.",
                Passed = i % 3 != 0,
                Scores = [new ScoreRecord("exact", i % 3 == 0 ? 0 : 1, i % 3 != 0, null, null), new ScoreRecord("judge", 0.75, true, "close enough to the expected answer", null)],
                InputTokens = 120,
                OutputTokens = 14,
                Cost = 0.0000421m,
                LatencyMs = 250 + i % 100,
                CompletedAt = DateTimeOffset.UnixEpoch.AddMilliseconds(i),
            }).ToList())
            .ToList();

        var measure = Measure.Start();
        foreach (var batch in batches)
        {
            await store.AppendAsync(batch);
        }

        var (wall, cpu) = measure.Stop();
        output.WriteLine($"appended {Count:N0} results (2 scores each) in batches of {BatchSize}: wall {wall.TotalMilliseconds:N0} ms ({Count / wall.TotalSeconds:N0} results/s), CPU {cpu.TotalMilliseconds:N0} ms ({Count / cpu.TotalSeconds:N0} results/s)");
        (Count / cpu.TotalSeconds).Should().BeGreaterThan(5_000, "results per CPU-second");
    }

    [Fact]
    public async Task SavesAHundredThousandCaseDatasetInAFewSeconds()
    {
        var store = new SqliteDatasetStore(_database.Database);
        var cases = Enumerable.Range(0, 100_000)
            .Select(i => new DatasetCase(
                $"case-{i:D6}",
                JsonText.Parse($$"""{"question":"What is {{i}} + {{i}}?","context":"arithmetic"}"""),
                JsonText.Parse($"\"{i * 2}\""),
                JsonText.Parse($$"""{"difficulty":{{i % 5}}}"""),
                (i % 10) switch { < 7 => "train", 7 or 8 => "dev", _ => "test" }))
            .ToList();

        var measure = Measure.Start();
        var saved = await store.SaveAsync("big", cases, null);
        var (wall, cpu) = measure.Stop();

        output.WriteLine($"saved 100,000 cases: wall {wall.TotalMilliseconds:N0} ms, CPU {cpu.TotalMilliseconds:N0} ms");
        saved.CaseCount.Should().Be(100_000);
        cpu.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _database.Dispose();

    private readonly record struct Measure(long Started, TimeSpan Cpu)
    {
        public static Measure Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

        public (TimeSpan Wall, TimeSpan Cpu) Stop() =>
            (Stopwatch.GetElapsedTime(Started), Process.GetCurrentProcess().TotalProcessorTime - Cpu);
    }
}

[CollectionDefinition(nameof(ThroughputTests), DisableParallelization = true)]
public sealed class ThroughputTestsRunAlone;
