using EvalLoop.Core.Runs;
using EvalLoop.TestUtilities.Builders;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Core.Tests.Runs;

public sealed class RunStoreExtensionsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListsOnlyUsersRunsNewestFirstSoInternalRunsNeverCrowdThemOut()
    {
        // Arrange: two user runs, then more internal runs (newer) than the limit
        var store = new InMemoryRunStore();
        await store.SaveRunAsync(Run("full-1", RunModes.Full, 0));
        await store.SaveRunAsync(Run("rerun-1", RunModes.RerunFailed, 1));
        string[] internalModes = [.. RunModes.Suggester, RunModes.GoalDraft];
        for (var i = 0; i < internalModes.Length; i++)
        {
            await store.SaveRunAsync(Run("internal-" + i, internalModes[i], 10 + i));
        }

        // Act
        var users = await store.ListRunsForUserAsync("qa", includeInternal: false, limit: 2);
        var all = await store.ListRunsForUserAsync("qa", includeInternal: true, limit: 100);
        var one = await store.ListRunsForUserAsync(null, includeInternal: false, limit: 1);

        // Assert
        users.Select(r => r.Id).Should().Equal("rerun-1", "full-1");
        all.Should().HaveCount(2 + internalModes.Length);
        all[0].Id.Should().Be("internal-" + (internalModes.Length - 1), "with internal runs asked for, the newest run comes first whatever its mode");
        one.Select(r => r.Id).Should().Equal("rerun-1");
    }

    [Fact]
    public async Task WithInternalRunsAskedForAnExperimentsListIncludesTheSuggestersRunsOfItStoredUnderNameDotSuggest()
    {
        var store = new InMemoryRunStore();
        await store.SaveRunAsync(Run("full-1", RunModes.Full, 0));
        await store.SaveRunAsync(RunRecords.Of("analysis-1", Start.AddMinutes(1), "qa" + RunModes.SuggesterNameSuffix, RunModes.SuggestAnalysis));
        await store.SaveRunAsync(RunRecords.Of("other-1", Start.AddMinutes(2), "qa-other" + RunModes.SuggesterNameSuffix, RunModes.SuggestAnalysis));

        var all = await store.ListRunsForUserAsync("qa", includeInternal: true, limit: 100);
        var users = await store.ListRunsForUserAsync("qa", includeInternal: false, limit: 100);

        all.Select(r => r.Id).Should().Equal("analysis-1", "full-1");
        users.Select(r => r.Id).Should().Equal("full-1");
    }

    private static RunRecord Run(string id, string mode, int minutes) => RunRecords.Of(id, Start.AddMinutes(minutes), mode: mode);
}
