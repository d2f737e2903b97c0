using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EvalLoop.Core.Datasets;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>An in-memory <see cref="IDatasetStore"/> for runner tests.</summary>
public sealed class InMemoryDatasetStore : IDatasetStore
{
    private readonly ConcurrentDictionary<string, (DatasetVersion Version, IReadOnlyList<DatasetCase> Cases)> _versions = new();
    private int _sequence;

    public Task<DatasetVersion> SaveAsync(string name, IReadOnlyList<DatasetCase> cases, string? sourcePath, CancellationToken cancellationToken = default)
    {
        var hash = DatasetVersioning.ComputeVersion(cases);
        var entry = _versions.GetOrAdd(name + "@" + hash, _ => (new DatasetVersion(
            name,
            hash,
            cases.Count,
            cases.Where(c => c.Split is not null).GroupBy(c => c.Split!).ToDictionary(g => g.Key, g => g.Count()),
            sourcePath,
            DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref _sequence))), cases.ToList()));
        return Task.FromResult(entry.Version);
    }

    public Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(string? name = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DatasetVersion>>(_versions.Values
            .Select(v => v.Version)
            .Where(v => name is null || v.Name == name)
            .OrderByDescending(v => v.CreatedAt)
            .ToList());

    public async IAsyncEnumerable<DatasetCase> ReadCasesAsync(string version, string? split = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var entry = _versions.Values.First(v => v.Version.Version == version);
        foreach (var c in entry.Cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (split is null || c.Split == split)
            {
                yield return c;
            }
        }

        await Task.CompletedTask;
    }
}
