using Dapper;
using EvalLoop.Core.Caching;

namespace EvalLoop.Storage.Sqlite;

/// <summary>The response cache as a SQLite table: one row per key, the last value set wins.</summary>
public sealed class SqliteResponseCache(SqliteDatabase database, TimeProvider? timeProvider = null) : IResponseCache
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT value FROM response_cache WHERE key = @key",
            new { key },
            cancellationToken: cancellationToken));
    }

    public async ValueTask SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT OR REPLACE INTO response_cache (key, value, created_at) VALUES (@key, @value, @createdAt)",
            new { key, value, createdAt = SqliteValues.FormatTimestamp(_time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }
}
