using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>The regression store contract against the fake the service's and the suggester's tests may use.</summary>
public sealed class InMemoryRegressionStoreContractTests : RegressionStoreContract<InMemoryRegressionStore>
{
    protected override Task<InMemoryRegressionStore> CreateStoreAsync() => Task.FromResult(new InMemoryRegressionStore());

    // The fake knows no runs: any run id is accepted.
    protected override Task AddRunAsync(string runId, DateTimeOffset startedAt) => Task.CompletedTask;
}
