using EvalLoop.Core.Caching;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scheduling;
using EvalLoop.Core.Suggestions;
using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Storage.Sqlite.Tests;

public sealed class SqliteStorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task RegistersEveryStoreOverOneDatabase()
    {
        await using var services = new ServiceCollection().AddSqliteStorage(_database.Path).BuildServiceProvider();

        var runs = services.GetRequiredService<IRunStore>();
        var results = services.GetRequiredService<IRunResultStore>();
        var datasets = services.GetRequiredService<IDatasetStore>();
        var cache = services.GetRequiredService<IResponseCache>();
        var suggestions = services.GetRequiredService<ISuggestionStore>();
        var history = services.GetRequiredService<ISuggestionHistory>();
        await cache.SetAsync("k", "v");

        runs.Should().BeOfType<SqliteRunStore>().And.BeSameAs(results);
        datasets.Should().BeOfType<SqliteDatasetStore>();
        suggestions.Should().BeOfType<SqliteSuggestionStore>().And.BeSameAs(history);
        services.GetRequiredService<IJobHistoryStore>().Should().BeOfType<SqliteJobHistoryStore>();
        services.GetRequiredService<IRegressionStore>().Should().BeOfType<SqliteRegressionStore>();
        services.GetRequiredService<SqliteDatabase>().DatabasePath.Should().Be(_database.Path);
        (await services.GetRequiredService<IResponseCache>().GetAsync("k")).Should().Be("v");
    }

    public void Dispose() => _database.Dispose();
}
