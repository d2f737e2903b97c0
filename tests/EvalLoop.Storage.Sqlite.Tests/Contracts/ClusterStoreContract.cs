using EvalLoop.Core.Analysis;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every <see cref="IClusterStore"/> must do. A subclass supplies the store over empty storage, and a way to
/// store a run, because an analysis belongs to a stored run.
/// </summary>
public abstract class ClusterStoreContract<TStore>
    where TStore : IClusterStore
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    protected abstract Task<TStore> CreateStoreAsync();

    /// <summary>Stores a run with <paramref name="runId"/>, so that an analysis may refer to it.</summary>
    protected abstract Task AddRunAsync(string runId);

    [Fact]
    public async Task ReturnsNullForARunThatWasNeverAnalysed()
    {
        var store = await StoreWithRunsAsync("run-1");

        (await store.GetAsync("run-1")).Should().BeNull();
        (await store.GetAsync("no-such-run")).Should().BeNull();
    }

    [Fact]
    public async Task GetsBackEveryFieldOfAnAnalysis()
    {
        var store = await StoreWithRunsAsync("run-7");
        var analysis = Analysis("run-7", 3) with
        {
            ParametersJson = "{ \"seed\" : 42, \"k\": 3,\n \"silhouettes\": {\"2\": 0.41} }",
            CreatedAt = new DateTimeOffset(2025, 6, 30, 23, 59, 58, 123, TimeSpan.FromHours(2)).AddTicks(4567),
        };
        analysis = analysis with
        {
            Clusters =
            [
                analysis.Clusters[0] with
                {
                    Name = "card_arrival → card_delivery_estimate «livraison» 🚚",
                    Description = "41% of failures: expected card_arrival, answered card_delivery_estimate (62 of 103).",
                    Share = 1 / 3.0,
                    ScorerFailures = [new ScorerFailure("intent-match", 3, 0.123456789), new ScorerFailure("length", 1, null)],
                    ConfusionPairs = [new ConfusionPair("card_arrival", "card_delivery_estimate", 2), new ConfusionPair("Ärger", "请求退款", 1)],
                    TopTerms = ["card", "arrive", "日本"],
                    NamedBy = "llm",
                },
                analysis.Clusters[1],
                analysis.Clusters[2],
            ],
        };

        await store.SaveAsync(analysis);
        var loaded = await store.GetAsync("run-7");

        ShouldMatch(loaded, analysis);
        loaded!.CreatedAt.Should().Be(analysis.CreatedAt, "the same instant, to the tick");
        loaded.ParametersJson.Should().Be(analysis.ParametersJson, "the parameters are opaque JSON text, kept byte for byte");
        loaded.Clusters[0].Share.Should().Be(1 / 3.0);
    }

    [Fact]
    public async Task KeepsClustersInIndexOrderAndMembersAndRepresentativesInTheirOrder()
    {
        var store = await StoreWithRunsAsync("run-1");
        var members = new[] { M("c9"), M("c2"), M("c5", 2), M("c5", 1), M("c1") };
        var first = Cluster("run-1", 0, members, representatives: [M("c5", 1), M("c1"), M("c9")]);
        var second = Cluster("run-1", 1, [M("z"), M("a")], representatives: [M("a")]);

        // Given out of order: the store returns them by index.
        await store.SaveAsync(Analysis("run-1", 0) with { Clusters = [second, first], FailureCount = 7 });
        var loaded = await store.GetAsync("run-1");

        loaded!.Clusters.Select(c => c.Index).Should().Equal(0, 1);
        loaded.Clusters[0].Members.Should().Equal(members);
        loaded.Clusters[0].Representatives.Should().Equal(M("c5", 1), M("c1"), M("c9"));
        loaded.Clusters[1].Members.Should().Equal(M("z"), M("a"));
        loaded.Clusters[1].Size.Should().Be(2);
    }

    [Fact]
    public async Task StoresAnAnalysisWithNoFailures()
    {
        var store = await StoreWithRunsAsync("run-1");

        await store.SaveAsync(Analysis("run-1", 0) with { FailureCount = 0 });
        var loaded = await store.GetAsync("run-1");

        loaded.Should().NotBeNull();
        loaded!.FailureCount.Should().Be(0);
        loaded.Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task SavingAgainReplacesTheEarlierAnalysisOfTheRun()
    {
        var store = await StoreWithRunsAsync("run-1");
        await store.SaveAsync(Analysis("run-1", 4));
        var again = Analysis("run-1", 2) with { AnalyzerVersion = "v2", Clusters = [Cluster("run-1", 0, [M("x")], [M("x")]) with { Id = "run-1-new" }] };

        await store.SaveAsync(again);
        var loaded = await store.GetAsync("run-1");

        ShouldMatch(loaded, again);
    }

    [Fact]
    public async Task KeepsTheAnalysesOfDifferentRunsApart()
    {
        var store = await StoreWithRunsAsync("run-1", "run-2");
        var one = Analysis("run-1", 2);
        var two = Analysis("run-2", 3);

        await store.SaveAsync(one);
        await store.SaveAsync(two);
        await store.SaveAsync(one with { AnalyzerVersion = "again" });

        ShouldMatch(await store.GetAsync("run-2"), two);
        (await store.GetAsync("run-1"))!.AnalyzerVersion.Should().Be("again");
    }

    [Fact]
    public async Task AnotherInstanceOverTheSameStorageReadsWhatWasSaved()
    {
        var writer = await StoreWithRunsAsync("run-1");
        var analysis = Analysis("run-1", 2);
        await writer.SaveAsync(analysis);

        var reader = await CreateStoreAsync();

        ShouldMatch(await reader.GetAsync("run-1"), analysis);
    }

    [Fact]
    public async Task ChangingTheSavedListsAfterwardsDoesNotChangeWhatIsStored()
    {
        var store = await StoreWithRunsAsync("run-1");
        var members = new List<ClusterMember> { M("a"), M("b") };
        var terms = new List<string> { "card" };
        var analysis = Analysis("run-1", 0) with { Clusters = [Cluster("run-1", 0, members, [M("a")]) with { TopTerms = terms }] };

        await store.SaveAsync(analysis);
        members.Add(M("c"));
        terms.Add("added-after-saving");
        var loaded = await store.GetAsync("run-1");

        loaded!.Clusters[0].Members.Should().Equal(M("a"), M("b"));
        loaded.Clusters[0].TopTerms.Should().Equal("card");
    }

    [Fact]
    public async Task RefusesAnAnalysisOfARunThatIsNotStored()
    {
        var store = await StoreWithRunsAsync();

        var save = () => store.SaveAsync(Analysis("no-such-run", 1));

        await save.Should().ThrowAsync<InvalidOperationException>().WithMessage("*no-such-run*");
        (await store.GetAsync("no-such-run")).Should().BeNull();
    }

    [Theory]
    [InlineData("duplicate cluster id")]
    [InlineData("duplicate index")]
    [InlineData("representative that is not a member")]
    [InlineData("member listed twice")]
    public async Task RefusesAnInvalidAnalysisAndKeepsTheEarlierOne(string problem)
    {
        var store = await StoreWithRunsAsync("run-1");
        var earlier = Analysis("run-1", 2);
        await store.SaveAsync(earlier);
        var valid = Analysis("run-1", 2);
        var invalid = problem switch
        {
            "duplicate cluster id" => valid with { Clusters = [valid.Clusters[0], valid.Clusters[1] with { Id = valid.Clusters[0].Id }] },
            "duplicate index" => valid with { Clusters = [valid.Clusters[0], valid.Clusters[1] with { Index = 0 }] },
            "representative that is not a member" => valid with { Clusters = [valid.Clusters[0] with { Representatives = [M("stranger")] }] },
            _ => valid with { Clusters = [valid.Clusters[0] with { Members = [M("a"), M("a")], Representatives = [] }] },
        };

        var save = () => store.SaveAsync(invalid with { AnalyzerVersion = "invalid" });

        await save.Should().ThrowAsync<ArgumentException>();
        ShouldMatch(await store.GetAsync("run-1"), earlier);
    }

    [Fact]
    public async Task StoresAnAnalysisOfTenThousandFailures()
    {
        var store = await StoreWithRunsAsync("run-1");
        var clusters = Enumerable.Range(0, 10)
            .Select(c => Cluster("run-1", c, Enumerable.Range(0, 1_000).Select(i => M($"case-{c}-{i}")).ToList(), [M($"case-{c}-7"), M($"case-{c}-3")]))
            .ToList();
        var analysis = Analysis("run-1", 0) with { Clusters = clusters, FailureCount = 10_000 };

        await store.SaveAsync(analysis);
        var loaded = await store.GetAsync("run-1");

        loaded!.Clusters.Sum(c => c.Size).Should().Be(10_000);
        loaded.Clusters[9].Members[999].Should().Be(M("case-9-999"));
        loaded.Clusters[4].Representatives.Should().Equal(M("case-4-7"), M("case-4-3"));
    }

    protected async Task<TStore> StoreWithRunsAsync(params string[] runIds)
    {
        foreach (var runId in runIds)
        {
            await AddRunAsync(runId);
        }

        return await CreateStoreAsync();
    }

    protected static ClusterMember M(string caseId, int trial = 1) => new(caseId, trial);

    /// <summary>An analysis of <paramref name="runId"/> with <paramref name="clusters"/> small clusters.</summary>
    protected static ClusterAnalysis Analysis(string runId, int clusters) => new(
        runId,
        "evalloop-failure-analyzer/1 (mlnet-kmeans/1)",
        """{"seed":42}""",
        Start,
        clusters * 3,
        Enumerable.Range(0, clusters).Select(i => Cluster(runId, i, [M($"{runId}-a{i}"), M($"{runId}-b{i}", 2), M($"{runId}-c{i}")], [M($"{runId}-b{i}", 2)])).ToList());

    protected static FailureCluster Cluster(string runId, int index, IReadOnlyList<ClusterMember> members, IReadOnlyList<ClusterMember> representatives) => new(
        $"{runId}-c{index}",
        index,
        $"cluster {index}",
        $"The cluster at index {index}.",
        0.25,
        members,
        representatives,
        "confusion",
        [new ScorerFailure("intent-match", members.Count, 0)],
        [new ConfusionPair("a", "b", members.Count)],
        ["term"]);

    private static void ShouldMatch(ClusterAnalysis? actual, ClusterAnalysis expected)
    {
        actual.Should().NotBeNull();
        actual!.Should().BeEquivalentTo(expected, options => options
            .WithStrictOrdering()
            .Using<DateTimeOffset>(c => c.Subject.Should().Be(c.Expectation))
            .WhenTypeIs<DateTimeOffset>());
        actual.Clusters.Select(c => c.Size).Should().Equal(expected.Clusters.Select(c => c.Size));
    }
}
