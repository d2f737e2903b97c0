using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// Puts an earlier version of a workspace file back, as a new version: the file's current content is recorded first
/// (so a restore never loses anything either), then the old content is written atomically.
/// </summary>
public sealed class FileVersionRestorer(IFileVersionStore versions, WorkspaceLayout workspace, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <exception cref="KeyNotFoundException">No version has <paramref name="id"/>.</exception>
    /// <exception cref="InvalidOperationException">The file already has that content.</exception>
    /// <exception cref="SuggestionConflictException">The file changed while it was being restored; nothing was written.</exception>
    public async Task<FileVersionChange> RestoreAsync(long id, string by, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var version = await versions.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"There is no file version #{id} (see: evalloop versions list FILE).");
        var full = Path.GetFullPath(version.Path, workspace.Root);
        var current = File.Exists(full) ? await File.ReadAllTextAsync(full, cancellationToken) : string.Empty;
        if (current == version.Content)
        {
            throw new InvalidOperationException($"{version.Path} already has the content of version #{id}.");
        }

        var now = _time.GetUtcNow();
        var sha = FileContentHash.Compute(current);
        var previous = version with
        {
            Id = 0,
            Content = current,
            Sha256 = sha,
            ContentVersion = null,
            SuggestionId = null,
            PreviousId = null,
            CreatedBy = by,
            CreatedAt = now,
            Note = $"as found before restoring #{id}",
        };
        var restored = version with { Id = 0, SuggestionId = null, PreviousId = null, CreatedBy = by, CreatedAt = now, Note = $"restored version #{id}" };
        return await versions.RecordChangeAsync(previous, restored, async token =>
        {
            var onDisk = File.Exists(full) ? await File.ReadAllTextAsync(full, token) : string.Empty;
            if (FileContentHash.Compute(onDisk) != sha)
            {
                throw new SuggestionConflictException($"{version.Path} changed while it was being restored; nothing was written.");
            }

            await AtomicFile.WriteAsync(full, version.Content, token);
        }, cancellationToken);
    }
}
