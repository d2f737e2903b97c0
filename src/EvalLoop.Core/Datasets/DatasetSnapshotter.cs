using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Datasets;

/// <summary>
/// Turns a dataset reference in an experiment (a name or a .jsonl path) into a stored snapshot: reads and validates
/// the file, then saves it under its content-hash version (a no-op when that version is already stored).
/// </summary>
public sealed class DatasetSnapshotter(WorkspaceLayout workspace, IDatasetStore store)
{
    public async Task<DatasetVersion> SnapshotAsync(string dataset, CancellationToken cancellationToken = default)
    {
        var path = workspace.ResolveDatasetPath(dataset);
        var cases = await JsonlDatasetReader.ReadAsync(path, cancellationToken);
        return await store.SaveAsync(WorkspaceLayout.DatasetName(dataset), cases, Path.GetRelativePath(workspace.Root, path), cancellationToken);
    }
}
