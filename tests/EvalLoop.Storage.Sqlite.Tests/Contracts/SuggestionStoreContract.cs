using EvalLoop.Core.Suggestions;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every <see cref="ISuggestionStore"/> (with its <see cref="ISuggestionHistory"/>) must do. A subclass supplies
/// the store over empty storage stamped by <see cref="Time"/>, and a way to store a run, because a suggestion must refer
/// to a stored run.
/// </summary>
public abstract class SuggestionStoreContract<TStore>
    where TStore : ISuggestionStore, ISuggestionHistory
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The clock the store records history with; decisions in these tests are stamped by it too.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    protected abstract Task<TStore> CreateStoreAsync();

    /// <summary>Stores a run with <paramref name="runId"/>, so that suggestions may refer to it.</summary>
    protected abstract Task AddRunAsync(string runId);

    [Fact]
    public async Task GetsBackEveryFieldOfANewSuggestion()
    {
        var store = await StoreWithRunsAsync("run-7");
        var clusters = new List<string> { "cluster-b", "cluster-a", "cluster-c" };
        var suggestion = New("s-1", runId: "run-7", experiment: "banking77", kind: SuggestionKinds.Dataset) with
        {
            Title = "Relabel 3 «card_arrival» cases",
            Summary = "Three cases labelled card_arrival ask about card delivery times. 🚚\nRelabel them.",
            ChangeJson = "{ \"relabel\" : [ {\"id\":\"c12\", \"to\":\"card_delivery_estimate\"} ],\n  \"cost\": 1.50 }",
            EvidenceJson = """{"before":0.81,"after":0.84,"run":"verify-1"}""",
            ClusterIds = clusters,
            CreatedAt = new DateTimeOffset(2025, 6, 30, 23, 59, 58, 123, TimeSpan.FromHours(2)).AddTicks(4567),
        };

        var saved = await store.SaveAsync(suggestion);
        clusters.Add("added-after-saving");
        var loaded = await store.GetAsync("s-1");

        var expected = suggestion with { ClusterIds = ["cluster-b", "cluster-a", "cluster-c"], Revision = 1 };
        ShouldMatch(saved, expected);
        ShouldMatch(loaded, expected);
        loaded!.ChangeJson.Should().Be(suggestion.ChangeJson, "the change is opaque JSON text, kept byte for byte");
        loaded.CreatedAt.Should().Be(suggestion.CreatedAt, "the same instant, to the tick, whatever offset it comes back with");
    }

    [Fact]
    public async Task GetsBackEveryFieldOfADecidedSuggestion()
    {
        var store = await StoreWithRunsAsync();
        var created = await store.SaveAsync(New("s-1") with { ClusterIds = ["c1"] });
        var decided = created with
        {
            Status = SuggestionStatus.Approved,
            DecidedAt = Start.AddHours(5).AddTicks(1),
            DecidedBy = "maria@example.com",
            DecisionReason = "Fixes the refund cluster; no regressions on the test split.",
            ResultingVersion = "prompt-v2-9f8e7d",
            EvidenceJson = """{"pass_rate":{"before":0.7,"after":0.9}}""",
        };

        await store.SaveAsync(decided);
        var loaded = await store.GetAsync("s-1");

        ShouldMatch(loaded, decided with { Revision = 2 });
    }

    [Fact]
    public async Task GetsBackASuggestionWithoutEvidenceClustersOrSummaryText()
    {
        var store = await StoreWithRunsAsync();
        var suggestion = New("s-1", kind: SuggestionKinds.Goal) with { Summary = string.Empty, EvidenceJson = null, ClusterIds = [] };

        await store.SaveAsync(suggestion);
        var loaded = await store.GetAsync("s-1");

        ShouldMatch(loaded, suggestion with { Revision = 1 });
        loaded!.ClusterIds.Should().BeEmpty();
        loaded.DecidedAt.Should().BeNull();
    }

    [Fact]
    public async Task GettingAnUnknownSuggestionReturnsNull()
    {
        var store = await StoreWithRunsAsync();

        var loaded = await store.GetAsync("missing");

        loaded.Should().BeNull();
    }

    [Fact]
    public async Task TheFirstSaveStoresRevisionOneAndEveryUpdateAddsOne()
    {
        var store = await StoreWithRunsAsync();

        var first = await store.SaveAsync(New("s-1"));
        var second = await store.SaveAsync(first with { EvidenceJson = """{"verified":true}""" });
        var third = await store.SaveAsync(second with { Title = "Retitled" });

        new[] { first.Revision, second.Revision, third.Revision }.Should().Equal(1, 2, 3);
        (await store.GetAsync("s-1"))!.Revision.Should().Be(3);
        (await store.GetAsync("s-1"))!.Title.Should().Be("Retitled");
    }

    [Fact]
    public async Task ASaveWithAStaleRevisionThrowsAndChangesNothing()
    {
        var store = await StoreWithRunsAsync();
        var read = await store.SaveAsync(New("s-1"));
        var first = await store.SaveAsync(read with { DecisionReason = null, EvidenceJson = """{"by":"first"}""" });

        var stale = () => store.SaveAsync(read with { EvidenceJson = """{"by":"second"}""" });

        var thrown = (await stale.Should().ThrowAsync<SuggestionConcurrencyException>()).Which;
        thrown.SuggestionId.Should().Be("s-1");
        thrown.ExpectedRevision.Should().Be(1);
        thrown.ActualRevision.Should().Be(2);
        thrown.Message.Should().Contain("revision 2");
        ShouldMatch(await store.GetAsync("s-1"), first);
        (await store.ReadHistoryAsync("s-1").ToListAsync()).Select(e => e.Revision).Should().Equal(1, 2);
    }

    [Fact]
    public async Task CreatingASuggestionUnderATakenIdThrowsAndChangesNothing()
    {
        var store = await StoreWithRunsAsync();
        var original = await store.SaveAsync(New("s-1"));

        var duplicate = () => store.SaveAsync(New("s-1") with { Title = "Another suggestion, same id" });

        var thrown = (await duplicate.Should().ThrowAsync<SuggestionConcurrencyException>()).Which;
        thrown.ExpectedRevision.Should().Be(0);
        thrown.ActualRevision.Should().Be(1);
        thrown.Message.Should().Contain("already exists");
        ShouldMatch(await store.GetAsync("s-1"), original);
    }

    [Fact]
    public async Task UpdatingASuggestionThatWasNeverSavedThrows()
    {
        var store = await StoreWithRunsAsync();

        var update = () => store.SaveAsync(New("s-1") with { Revision = 3 });

        var thrown = (await update.Should().ThrowAsync<SuggestionConcurrencyException>()).Which;
        thrown.ActualRevision.Should().Be(0);
        thrown.Message.Should().Contain("does not exist");
        (await store.GetAsync("s-1")).Should().BeNull();
    }

    [Fact]
    public async Task ListsNewestFirstWithTiesInReverseSaveOrderAndStopsAtTheLimit()
    {
        var store = await StoreWithRunsAsync();
        var middle = await store.SaveAsync(New("middle", createdAt: Start.AddHours(1)));
        await store.SaveAsync(New("oldest", createdAt: Start));
        await store.SaveAsync(New("newest", createdAt: Start.AddHours(2)));
        await store.SaveAsync(New("middle-saved-later", createdAt: Start.AddHours(1)));
        await store.SaveAsync(middle with { Title = "an update keeps its place" });

        var all = await store.ListAsync(new SuggestionQuery());
        var firstTwo = await store.ListAsync(new SuggestionQuery { Limit = 2 });
        var none = await store.ListAsync(new SuggestionQuery { Limit = 0 });

        all.Select(s => s.Id).Should().Equal("newest", "middle-saved-later", "middle", "oldest");
        firstTwo.Select(s => s.Id).Should().Equal("newest", "middle-saved-later");
        none.Should().BeEmpty();
    }

    [Fact]
    public async Task FiltersTheListByStatusRunExperimentAndKind()
    {
        var store = await StoreWithRunsAsync("run-1", "run-2");
        await store.SaveAsync(New("a", runId: "run-1", experiment: "qa", kind: SuggestionKinds.Prompt, createdAt: Start.AddMinutes(1)));
        await store.SaveAsync(New("b", runId: "run-1", experiment: "qa", kind: SuggestionKinds.Dataset, createdAt: Start.AddMinutes(2)));
        await store.SaveAsync(New("c", runId: "run-2", experiment: "intents", kind: SuggestionKinds.Prompt, createdAt: Start.AddMinutes(3)));
        await store.SaveAsync(New("d", runId: "run-2", experiment: "intents", kind: SuggestionKinds.Scorer, createdAt: Start.AddMinutes(4)));
        await store.DecideAsync("a", approve: true, "maria", null, null, Time);
        await store.DecideAsync("d", approve: false, "maria", "Out of scope", null, Time);

        async Task<IEnumerable<string>> Ids(SuggestionQuery query) => (await store.ListAsync(query)).Select(s => s.Id);

        (await Ids(new SuggestionQuery { Status = SuggestionStatus.Pending })).Should().Equal("c", "b");
        (await Ids(new SuggestionQuery { Status = SuggestionStatus.Approved })).Should().Equal("a");
        (await Ids(new SuggestionQuery { RunId = "run-2" })).Should().Equal("d", "c");
        (await Ids(new SuggestionQuery { ExperimentName = "qa" })).Should().Equal("b", "a");
        (await Ids(new SuggestionQuery { Kind = SuggestionKinds.Prompt })).Should().Equal("c", "a");
        (await Ids(new SuggestionQuery { Status = SuggestionStatus.Pending, Kind = SuggestionKinds.Prompt, ExperimentName = "intents", RunId = "run-2" })).Should().Equal("c");
        (await Ids(new SuggestionQuery { Status = SuggestionStatus.Superseded })).Should().BeEmpty();
        (await Ids(new SuggestionQuery { RunId = "run-1", Kind = SuggestionKinds.Scorer })).Should().BeEmpty();
    }

    [Fact]
    public async Task ApprovingRecordsWhoDecidedWhyWhenAndTheVersionItCreated()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));
        Time.Advance(TimeSpan.FromHours(3));

        var approved = await store.DecideAsync("s-1", approve: true, "maria@example.com", "Fixes the refund cluster", "prompt-v2", Time);

        var expected = New("s-1") with
        {
            Status = SuggestionStatus.Approved,
            DecidedAt = Start.AddHours(3),
            DecidedBy = "maria@example.com",
            DecisionReason = "Fixes the refund cluster",
            ResultingVersion = "prompt-v2",
            Revision = 2,
        };
        ShouldMatch(approved, expected);
        ShouldMatch(await store.GetAsync("s-1"), expected);
    }

    [Fact]
    public async Task RejectingRecordsWhoDecidedWhyAndWhen()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));
        Time.Advance(TimeSpan.FromMinutes(90));

        await store.DecideAsync("s-1", approve: false, "li", "Overfits the three failing cases", resultingVersion: null, Time);

        var loaded = await store.GetAsync("s-1");
        loaded!.Status.Should().Be(SuggestionStatus.Rejected);
        loaded.DecidedBy.Should().Be("li");
        loaded.DecisionReason.Should().Be("Overfits the three failing cases");
        loaded.DecidedAt.Should().Be(Start.AddMinutes(90));
        loaded.ResultingVersion.Should().BeNull();
        loaded.Revision.Should().Be(2);
    }

    [Fact]
    public async Task RefusesASecondDecisionAndKeepsTheFirst()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));
        var first = await store.DecideAsync("s-1", approve: true, "maria", "Good", "prompt-v2", Time);
        Time.Advance(TimeSpan.FromMinutes(1));

        var second = () => store.DecideAsync("s-1", approve: false, "li", "Bad", null, Time);

        (await second.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Suggestion 's-1' is already approved by maria*only a pending suggestion can be rejected*");
        ShouldMatch(await store.GetAsync("s-1"), first);
        (await store.ReadHistoryAsync("s-1").ToListAsync()).Should().HaveCount(2);
    }

    [Fact]
    public async Task OfTwoReviewersDecidingAtOnceOnlyTheFirstDecisionIsStored()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));

        // Li's decision loads the suggestion while it is pending; Maria's lands before Li's is saved.
        var racing = new DecidesFirstAfterLoading(store, other => other.DecideAsync("s-1", approve: true, "maria", "Ship it", "prompt-v2", Time));
        var late = () => racing.DecideAsync("s-1", approve: false, "li", "Not convinced", null, Time);

        await late.Should().ThrowAsync<SuggestionConcurrencyException>();
        var stored = await store.GetAsync("s-1");
        stored!.Status.Should().Be(SuggestionStatus.Approved);
        stored.DecidedBy.Should().Be("maria");
        (await store.ReadHistoryAsync("s-1").ToListAsync()).Select(e => e.ToStatus)
            .Should().Equal(SuggestionStatus.Pending, SuggestionStatus.Approved);
    }

    [Fact]
    public async Task DecidingAnUnknownSuggestionThrowsKeyNotFound()
    {
        var store = await StoreWithRunsAsync();

        var decide = () => store.DecideAsync("missing", approve: true, "maria", null, null, Time);

        await decide.Should().ThrowAsync<KeyNotFoundException>().WithMessage("*'missing'*");
    }

    [Fact]
    public async Task ARejectionCannotCarryAResultingVersion()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));

        var decide = () => store.DecideAsync("s-1", approve: false, "li", null, "prompt-v2", Time);

        await decide.Should().ThrowAsync<ArgumentException>().WithParameterName("resultingVersion");
        (await store.GetAsync("s-1"))!.Status.Should().Be(SuggestionStatus.Pending);
    }

    [Fact]
    public async Task KeepsOneHistoryEventPerSaveWithTheStatusTransitionAndTheSuggestionAsSaved()
    {
        var store = await StoreWithRunsAsync();
        var created = await store.SaveAsync(New("s-1"));
        Time.Advance(TimeSpan.FromMinutes(10));
        var verified = await store.SaveAsync(created with { EvidenceJson = """{"after":0.9}""" });
        Time.Advance(TimeSpan.FromMinutes(10));
        var approved = await store.DecideAsync("s-1", approve: true, "maria", "Verified", "prompt-v2", Time);
        await store.SaveAsync(New("other"));

        var history = await store.ReadHistoryAsync("s-1").ToListAsync();

        history.Select(e => (e.SuggestionId, e.Revision, e.FromStatus, e.ToStatus, e.RecordedAt)).Should().Equal(
            ("s-1", 1, null, SuggestionStatus.Pending, Start),
            ("s-1", 2, SuggestionStatus.Pending, SuggestionStatus.Pending, Start.AddMinutes(10)),
            ("s-1", 3, SuggestionStatus.Pending, SuggestionStatus.Approved, Start.AddMinutes(20)));
        ShouldMatch(history[0].Snapshot, created);
        history[0].Snapshot.EvidenceJson.Should().BeNull("a snapshot is the suggestion as that save stored it");
        ShouldMatch(history[1].Snapshot, verified);
        ShouldMatch(history[2].Snapshot, approved);
    }

    [Fact]
    public async Task TheHistoryOfAnUnknownSuggestionIsEmpty()
    {
        var store = await StoreWithRunsAsync();

        var history = await store.ReadHistoryAsync("missing").ToListAsync();

        history.Should().BeEmpty();
    }

    [Fact]
    public async Task RefusesASuggestionForARunThatIsNotStored()
    {
        var store = await StoreWithRunsAsync("run-1");

        var save = () => store.SaveAsync(New("s-1", runId: "run-404"));

        await save.Should().ThrowAsync<InvalidOperationException>().WithMessage("*'s-1'*'run-404'*not stored*");
        (await store.GetAsync("s-1")).Should().BeNull();
        (await store.ReadHistoryAsync("s-1").ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task ASuggestionIsCreatedPending()
    {
        var store = await StoreWithRunsAsync();

        var save = () => store.SaveAsync(New("s-1") with { Status = SuggestionStatus.Approved, DecidedBy = "maria", DecidedAt = Start });

        await save.Should().ThrowAsync<InvalidOperationException>().WithMessage("*cannot be created approved*");
        (await store.GetAsync("s-1")).Should().BeNull();
    }

    [Fact]
    public async Task AFinalStatusNeverChangesButOtherFieldsOfTheSuggestionMay()
    {
        var store = await StoreWithRunsAsync();
        await store.SaveAsync(New("s-1"));
        var approved = await store.DecideAsync("s-1", approve: true, "maria", null, resultingVersion: null, Time);

        var reopen = () => store.SaveAsync(approved with { Status = SuggestionStatus.Pending, DecidedAt = null, DecidedBy = null });

        await reopen.Should().ThrowAsync<InvalidOperationException>().WithMessage("*already approved and cannot become pending*");
        var applied = await store.SaveAsync(approved with { ResultingVersion = "prompt-v2" });
        applied.Revision.Should().Be(3, "the refused save stored nothing");
        applied.ResultingVersion.Should().Be("prompt-v2", "the version an approved change created can be recorded once it exists");
        ShouldMatch(await store.GetAsync("s-1"), applied);
    }

    [Theory]
    [InlineData("unknown kind")]
    [InlineData("unknown status")]
    [InlineData("blank id")]
    [InlineData("blank change")]
    [InlineData("blank cluster id")]
    [InlineData("negative revision")]
    [InlineData("approval without a decider")]
    [InlineData("rejection with a resulting version")]
    public async Task RejectsAnInvalidSuggestionAndStoresNothing(string problem)
    {
        var store = await StoreWithRunsAsync();
        var valid = New("s-1");
        var invalid = problem switch
        {
            "unknown kind" => valid with { Kind = "Prompt" },
            "unknown status" => valid with { Status = "accepted" },
            "blank id" => valid with { Id = " " },
            "blank change" => valid with { ChangeJson = string.Empty },
            "blank cluster id" => valid with { ClusterIds = ["c1", ""] },
            "negative revision" => valid with { Revision = -1 },
            "approval without a decider" => valid with { Status = SuggestionStatus.Approved, DecidedAt = Start },
            _ => valid with { Status = SuggestionStatus.Rejected, DecidedAt = Start, DecidedBy = "li", ResultingVersion = "v2" },
        };

        var save = () => store.SaveAsync(invalid);

        await save.Should().ThrowAsync<ArgumentException>();
        (await store.ListAsync(new SuggestionQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task ACancelledSaveStoresNothing()
    {
        var store = await StoreWithRunsAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var save = () => store.SaveAsync(New("s-1"), cancelled.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetAsync("s-1")).Should().BeNull();
    }

    protected static Suggestion New(
        string id,
        string runId = "run-1",
        string experiment = "qa",
        string kind = SuggestionKinds.Prompt,
        DateTimeOffset? createdAt = null) => new()
        {
            Id = id,
            RunId = runId,
            ExperimentName = experiment,
            Kind = kind,
            Title = $"Suggestion {id}",
            Summary = "Add two few-shot examples for refund questions.",
            ChangeJson = """{"template":"You are a banking assistant.\n{{input}}"}""",
            CreatedAt = createdAt ?? Start,
        };

    /// <summary>Field by field (the cluster ids in order), because record equality compares lists by reference.</summary>
    protected static void ShouldMatch(Suggestion? actual, Suggestion expected)
    {
        actual.Should().NotBeNull();
        actual.Should().BeEquivalentTo(expected, options => options.ComparingRecordsByMembers().WithStrictOrdering());
    }

    private async Task<TStore> StoreWithRunsAsync(params string[] runIds)
    {
        var store = await CreateStoreAsync();
        foreach (var runId in runIds.Length == 0 ? ["run-1"] : runIds)
        {
            await AddRunAsync(runId);
        }

        return store;
    }

    /// <summary>A store whose <see cref="GetAsync"/> lets another reviewer act after loading, as a slower reviewer's would.</summary>
    private sealed class DecidesFirstAfterLoading(ISuggestionStore inner, Func<ISuggestionStore, Task> otherReviewer) : ISuggestionStore
    {
        public Task<Suggestion> SaveAsync(Suggestion suggestion, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(suggestion, cancellationToken);

        public async Task<Suggestion?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            var loaded = await inner.GetAsync(id, cancellationToken);
            await otherReviewer(inner);
            return loaded;
        }

        public Task<IReadOnlyList<Suggestion>> ListAsync(SuggestionQuery query, CancellationToken cancellationToken = default) =>
            inner.ListAsync(query, cancellationToken);
    }
}
