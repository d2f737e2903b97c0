namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteSuggestionStoreContractTests : SuggestionStoreContract<SqliteSuggestionStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteSuggestionStore> CreateStoreAsync() => Task.FromResult(new SqliteSuggestionStore(_database.Database, Time));

    protected override Task AddRunAsync(string runId) => new SqliteRunStore(_database.Database).SaveRunAsync(SuggestionTestRuns.Run(runId, Start));

    public void Dispose() => _database.Dispose();
}
