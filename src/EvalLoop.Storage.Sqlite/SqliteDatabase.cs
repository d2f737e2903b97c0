using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// One SQLite database file: creates its folder, hands out pooled connections configured for concurrent use, and on
/// the first open brings the schema up to date. Register it once (a singleton) and share it between the stores.
/// </summary>
/// <remarks>
/// Every connection gets <c>busy_timeout=10000</c> (wait for another writer instead of failing),
/// <c>synchronous=NORMAL</c> (safe with WAL, far fewer fsyncs) and <c>foreign_keys=ON</c> (off by default in SQLite).
/// The first open also switches the file to <c>journal_mode=WAL</c>, which is stored in the file: readers do not block
/// the writer and the writer does not block readers, so a report can read a run while it is being written.
/// Disposing closes the idle pooled connections to the file.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _initializing = new(1, 1);
    private readonly TimeProvider _time;
    private volatile bool _initialized;

    /// <param name="databasePath">The database file; it and its folder are created when missing.</param>
    /// <param name="timeProvider">Stamps when migrations were applied.</param>
    public SqliteDatabase(string databasePath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>An open connection (the caller disposes it), with the schema migrated.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Per-connection settings; cheap enough to re-apply to a pooled connection on every open. busy_timeout comes
            // first so the statements after it (and WAL switching below) wait for a lock instead of failing.
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", cancellationToken);
            if (!_initialized)
            {
                await InitializeAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the idle pooled connections to this file, e.g. before deleting or copying it.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        ClearPool();
        _initializing.Dispose();
    }

    private async Task InitializeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _initializing.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = await wal.ExecuteScalarAsync(cancellationToken) as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"SQLite database {DatabasePath} could not switch to WAL journal mode (it reports '{mode}').");
                }
            }

            await SqliteMigrator.MigrateAsync(connection, _time, cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initializing.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
