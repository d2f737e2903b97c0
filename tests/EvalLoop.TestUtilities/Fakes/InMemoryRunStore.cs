using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EvalLoop.Core.Runs;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>An in-memory run and result store with the same semantics as the SQLite one, for runner tests.</summary>
public sealed class InMemoryRunStore : IRunStore, IRunResultStore
{
    private readonly ConcurrentDictionary<string, RunRecord> _runs = new();
    private readonly ConcurrentDictionary<(string RunId, string CaseId, int Trial), CaseResult> _results = new();

    /// <summary>Called before each batch is stored; throw from it to simulate a storage failure.</summary>
    public Action<IReadOnlyList<CaseResult>>? OnAppend { get; set; }

    /// <summary>Sizes of the batches appended so far.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public Task SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        _runs[run.Id] = run;
        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_runs.TryGetValue(runId, out var run) ? run : null);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName = null, int limit = 100, CancellationToken cancellationToken = default) =>
        List(experimentName, mode: null, limit);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName, string mode, int limit, CancellationToken cancellationToken = default) =>
        List(experimentName, mode, limit);

    private Task<IReadOnlyList<RunRecord>> List(string? experimentName, string? mode, int limit) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
            .Where(r => experimentName is null || r.ExperimentName == experimentName)
            .Where(r => mode is null || r.Mode == mode)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList());

    public Task AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnAppend?.Invoke(results);
        BatchSizes.Enqueue(results.Count);
        foreach (var result in results)
        {
            _results[(result.RunId, result.CaseId, result.Trial)] = result;
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<CaseResult> ReadAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var result in Results(runId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }

        await Task.CompletedTask;
    }

    public IReadOnlyList<CaseResult> Results(string runId) =>
        _results.Values.Where(r => r.RunId == runId).OrderBy(r => r.Ordinal).ThenBy(r => r.Trial).ToList();

    public Task<RunSummary> SummarizeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var results = Results(runId);
        var latencies = results.Select(r => r.LatencyMs).Order().ToList();
        var scorerNames = results.SelectMany(r => r.Scores.Select(s => s.Scorer)).Distinct().ToList();
        return Task.FromResult(new RunSummary
        {
            Results = results.Count,
            Passed = results.Count(r => r.Passed),
            Failed = results.Count(r => r.ErrorKind is null && !r.Passed),
            Errored = results.Count(r => r.ErrorKind is not null),
            Scorers = scorerNames.Select(name =>
            {
                var rows = results.SelectMany(r => r.Scores.Where(s => s.Scorer == name)).ToList();
                var scored = rows.Where(s => s.Score is not null).ToList();
                return new ScorerSummary(
                    name,
                    scored.Count == 0 ? null : scored.Average(s => s.Score!.Value),
                    results.Count == 0 ? 0 : (double)rows.Count(s => s.Passed) / results.Count,
                    scored.Count,
                    rows.Count(s => s.Error is not null));
            }).ToList(),
            InputTokens = results.Sum(r => (long)r.InputTokens),
            OutputTokens = results.Sum(r => (long)r.OutputTokens),
            Cost = results.Sum(r => r.Cost),
            CacheHits = results.Count(r => r.CacheHit),
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            ErrorKinds = results.Where(r => r.ErrorKind is not null).GroupBy(r => r.ErrorKind!).ToDictionary(g => g.Key, g => g.Count()),
        });
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
