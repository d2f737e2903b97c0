namespace EvalLoop.Core.Datasets;

/// <summary>Stores dataset snapshots by content-hash version.</summary>
public interface IDatasetStore
{
    /// <summary>
    /// Saves a snapshot of <paramref name="cases"/> under <paramref name="name"/>. When a version with the same content
    /// already exists it is returned unchanged. All or nothing: a failure leaves no partial snapshot.
    /// </summary>
    Task<DatasetVersion> SaveAsync(string name, IReadOnlyList<DatasetCase> cases, string? sourcePath, CancellationToken cancellationToken = default);

    /// <summary>Versions, newest first; all datasets when <paramref name="name"/> is null.</summary>
    Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Streams the cases of a version in file order, optionally only one split.</summary>
    IAsyncEnumerable<DatasetCase> ReadCasesAsync(string version, string? split = null, CancellationToken cancellationToken = default);
}
