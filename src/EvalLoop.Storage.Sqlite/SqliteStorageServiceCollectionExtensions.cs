using EvalLoop.Core.Analysis;
using EvalLoop.Core.Caching;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scheduling;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteDatabase"/> for <paramref name="databasePath"/> and the SQLite stores on it as
    /// singletons: <see cref="IDatasetStore"/>, <see cref="IRunStore"/> and <see cref="IRunResultStore"/> (one
    /// <see cref="SqliteRunStore"/> instance), <see cref="ISuggestionStore"/> and <see cref="ISuggestionHistory"/> (one
    /// <see cref="SqliteSuggestionStore"/> instance), <see cref="IResponseCache"/>, <see cref="IClusterStore"/>,
    /// <see cref="IEmbeddingCache"/>, <see cref="IFileVersionStore"/>, <see cref="IJobHistoryStore"/> and
    /// <see cref="IRegressionStore"/>. A registered <see cref="TimeProvider"/>
    /// is used when there is one. Nothing touches the file until a store is first used.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        services.AddSingleton(sp => new SqliteDatabase(databasePath, sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteDatasetStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteRunStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqliteSuggestionStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteResponseCache(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteClusterStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqliteEmbeddingCache(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteFileVersionStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqliteJobHistoryStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqliteRegressionStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IDatasetStore>(sp => sp.GetRequiredService<SqliteDatasetStore>());
        services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<SqliteRunStore>());
        services.AddSingleton<IRunResultStore>(sp => sp.GetRequiredService<SqliteRunStore>());
        services.AddSingleton<ISuggestionStore>(sp => sp.GetRequiredService<SqliteSuggestionStore>());
        services.AddSingleton<ISuggestionHistory>(sp => sp.GetRequiredService<SqliteSuggestionStore>());
        services.AddSingleton<IResponseCache>(sp => sp.GetRequiredService<SqliteResponseCache>());
        services.AddSingleton<IClusterStore>(sp => sp.GetRequiredService<SqliteClusterStore>());
        services.AddSingleton<IEmbeddingCache>(sp => sp.GetRequiredService<SqliteEmbeddingCache>());
        services.AddSingleton<IFileVersionStore>(sp => sp.GetRequiredService<SqliteFileVersionStore>());
        services.AddSingleton<IJobHistoryStore>(sp => sp.GetRequiredService<SqliteJobHistoryStore>());
        services.AddSingleton<IRegressionStore>(sp => sp.GetRequiredService<SqliteRegressionStore>());
        return services;
    }
}
