using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>The file version store contract against the fake the suggester's tests may use.</summary>
public sealed class InMemoryFileVersionStoreContractTests : FileVersionStoreContract<InMemoryFileVersionStore>, IDisposable
{
    private readonly InMemoryFileVersionStore _store = new();

    protected override Task<InMemoryFileVersionStore> CreateStoreAsync() => Task.FromResult(_store);

    public void Dispose() => _store.Dispose();
}
