using EvalLoop.Storage.Sqlite;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>A database file in its own temp folder (in a sub-folder that does not exist yet), deleted on dispose.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    public TemporaryDatabase(TimeProvider? timeProvider = null)
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evalloop-sqlite-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Folder, "data", "evalloop.db");
        Database = new SqliteDatabase(Path, timeProvider);
    }

    public string Folder { get; }

    public string Path { get; }

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open until the pool is cleared.
        Database.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
