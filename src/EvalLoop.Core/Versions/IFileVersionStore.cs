namespace EvalLoop.Core.Versions;

/// <summary>
/// The version history of workspace files (experiment prompts, datasets, scorers). A change is recorded together with
/// the write that makes it, under one lock, so two writers of the same file (two approvals, two processes) serialize and
/// the second sees what the first wrote.
/// </summary>
public interface IFileVersionStore
{
    /// <summary>
    /// Records a change of one file: under the store's write lock (held across processes sharing the store), stores
    /// <paramref name="previous"/> unless the newest stored version of its path already has the same hash, then calls
    /// <paramref name="apply"/> (which re-checks the file on disk and writes it, e.g. to a temp file then renamed), then
    /// stores <paramref name="replacement"/> with <see cref="FileVersion.PreviousId"/> pointing at the previous version. All or
    /// nothing: when <paramref name="apply"/> throws, nothing is stored and the exception propagates.
    /// </summary>
    /// <returns>The previous and the new version as stored, with their ids.</returns>
    Task<FileVersionChange> RecordChangeAsync(FileVersion previous, FileVersion replacement, Func<CancellationToken, Task> apply, CancellationToken cancellationToken = default);

    /// <summary>The versions of the file at <paramref name="path"/> (workspace-relative), newest first.</summary>
    Task<IReadOnlyList<FileVersion>> ListAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The version with <paramref name="id"/>, or null.</summary>
    Task<FileVersion?> GetAsync(long id, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IFileVersionStore.RecordChangeAsync"/> stored: the version replaced and the new one.</summary>
public sealed record FileVersionChange(FileVersion Previous, FileVersion Next);
