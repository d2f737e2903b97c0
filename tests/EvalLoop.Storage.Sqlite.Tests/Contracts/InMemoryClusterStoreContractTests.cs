using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// The cluster store contract against the fake, so analyzer tests that use <see cref="InMemoryClusterStore"/> can
/// trust it. The fake knows no runs; its <see cref="InMemoryClusterStore.RunExists"/> callback stands in for the
/// foreign key.
/// </summary>
public sealed class InMemoryClusterStoreContractTests : ClusterStoreContract<InMemoryClusterStore>
{
    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);
    private InMemoryClusterStore? _store;

    protected override Task<InMemoryClusterStore> CreateStoreAsync() =>
        Task.FromResult(_store ??= new InMemoryClusterStore { RunExists = _runs.Contains });

    protected override Task AddRunAsync(string runId)
    {
        _runs.Add(runId);
        return Task.CompletedTask;
    }
}
