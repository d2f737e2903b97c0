namespace EvalLoop.Core.Datasets;

public static class DatasetStoreExtensions
{
    /// <summary>The newest version of <paramref name="name"/>, or the version whose hash starts with <paramref name="version"/>.</summary>
    public static async Task<DatasetVersion?> FindAsync(this IDatasetStore store, string name, string? version = null, CancellationToken cancellationToken = default)
    {
        var versions = await store.ListVersionsAsync(name, cancellationToken);
        return version is null
            ? (versions.Count > 0 ? versions[0] : null)
            : versions.FirstOrDefault(v => v.Version.StartsWith(version, StringComparison.OrdinalIgnoreCase));
    }
}
