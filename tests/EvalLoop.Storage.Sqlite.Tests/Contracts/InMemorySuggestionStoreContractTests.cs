using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// The suggestion contract against the fake, so tests that use <see cref="InMemorySuggestionStore"/> instead of SQLite
/// can trust it. The fake knows no runs; its <see cref="InMemorySuggestionStore.RunExists"/> callback stands in for the
/// foreign key.
/// </summary>
public sealed class InMemorySuggestionStoreContractTests : SuggestionStoreContract<InMemorySuggestionStore>
{
    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);
    private InMemorySuggestionStore? _store;

    protected override Task<InMemorySuggestionStore> CreateStoreAsync() =>
        Task.FromResult(_store ??= new InMemorySuggestionStore(Time) { RunExists = _runs.Contains });

    protected override Task AddRunAsync(string runId)
    {
        _runs.Add(runId);
        return Task.CompletedTask;
    }
}
