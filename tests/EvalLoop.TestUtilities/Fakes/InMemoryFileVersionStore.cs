using EvalLoop.Core.Versions;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An in-memory <see cref="IFileVersionStore"/> with the SQLite store's semantics: one change at a time (a lock held
/// across the file write), the previous version stored unless it is already the newest of its path, all or nothing.
/// </summary>
public sealed class InMemoryFileVersionStore : IFileVersionStore, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<FileVersion> _versions = [];

    public async Task<FileVersionChange> RecordChangeAsync(FileVersion previous, FileVersion replacement, Func<CancellationToken, Task> apply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(replacement);
        ArgumentNullException.ThrowIfNull(apply);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var newest = _versions.LastOrDefault(v => v.Path == previous.Path);
            var storedPrevious = newest is not null && newest.Sha256 == previous.Sha256
                ? newest
                : previous with { Id = _versions.Count + 1, PreviousId = newest?.Id };
            await apply(cancellationToken);
            if (!ReferenceEquals(storedPrevious, newest))
            {
                _versions.Add(storedPrevious);
            }

            var stored = replacement with { Id = _versions.Count + 1, PreviousId = storedPrevious.Id };
            _versions.Add(stored);
            return new FileVersionChange(storedPrevious, stored);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<FileVersion>> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _versions.Where(v => v.Path == path).OrderByDescending(v => v.Id).ToList();
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    public async Task<FileVersion?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _versions.FirstOrDefault(v => v.Id == id);
        }
        finally
        {
            _lock.Release();
        }
    }
}
