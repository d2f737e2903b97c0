using System.Runtime.InteropServices;
using System.Text.Json;
using EvalLoop.Core.Analysis;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// The embedding cache as a SQLite table: one row per (model, text hash), the vector as a float32 little-endian blob.
/// Many keys go in one statement (a JSON array of hashes), so reading thousands of vectors is a handful of queries.
/// </summary>
public sealed class SqliteEmbeddingCache(SqliteDatabase database, TimeProvider? timeProvider = null) : IEmbeddingCache
{
    /// <summary>Hashes per query: keeps each statement's JSON parameter small while needing few round trips.</summary>
    internal const int ChunkSize = 2_000;

    internal const string GetManySql =
        "SELECT text_hash, vector FROM embedding_cache WHERE model = $model AND text_hash IN (SELECT value FROM json_each($hashes))";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string model, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(textHashes);
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (textHashes.Count == 0)
        {
            return found;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = GetManySql;
        command.Parameters.Add("$model", SqliteType.Text).Value = model;
        var hashes = command.Parameters.Add("$hashes", SqliteType.Text);
        foreach (var chunk in textHashes.Chunk(ChunkSize))
        {
            hashes.Value = JsonSerializer.Serialize(chunk, ClusterJsonContext.Readable.StringArray);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = ToVector((byte[])reader.GetValue(1));
            }
        }

        return found;
    }

    public async Task SetManyAsync(string model, IReadOnlyCollection<KeyValuePair<string, float[]>> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO embedding_cache (model, text_hash, dimensions, vector, created_at)
            VALUES ($model, $hash, $dimensions, $vector, $createdAt)
            ON CONFLICT (model, text_hash) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector, created_at = excluded.created_at
            """;
        insert.Parameters.Add("$model", SqliteType.Text).Value = model;
        insert.Parameters.Add("$createdAt", SqliteType.Text).Value = SqliteValues.FormatTimestamp(_time.GetUtcNow());
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var dimensions = insert.Parameters.Add("$dimensions", SqliteType.Integer);
        var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
        insert.Prepare();
        foreach (var (key, value) in vectors)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(vectors));
            ArgumentNullException.ThrowIfNull(value, nameof(vectors));
            hash.Value = key;
            dimensions.Value = value.Length;
            vector.Value = ToBlob(value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static byte[] ToBlob(float[] vector)
    {
        var bytes = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEach(bytes);
        }

        return bytes;
    }

    private static float[] ToVector(byte[] blob)
    {
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEach(blob);
        }

        return MemoryMarshal.Cast<byte, float>(blob).ToArray();
    }

    private static void ReverseEach(byte[] bytes)
    {
        for (var i = 0; i + 4 <= bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }
    }
}
