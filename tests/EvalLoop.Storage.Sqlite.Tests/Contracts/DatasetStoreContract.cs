using System.Text.Json;
using EvalLoop.Core.Datasets;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every <see cref="IDatasetStore"/> must do. A subclass supplies the store; every call to
/// <see cref="CreateStoreAsync"/> within one test returns a store over the same empty database, using <see cref="Time"/>.
/// </summary>
public abstract class DatasetStoreContract<TStore>
    where TStore : IDatasetStore
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The clock the store stamps versions with.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task ReadsBackEveryFieldOfEveryCaseInFileOrder()
    {
        var store = await CreateStoreAsync();
        var cases = new[]
        {
            Case("q1", "\"What is 2+2?\"", expected: "\"4\"", metadata: """{"topic":"math","level":1}""", split: "train"),
            Case("q2", """{"question":"capital of France","lang":"en"}""", expected: """{"answer":"Paris"}""", split: "test"),
            Case("q3", "\"no expectation\""),
            Case("q4", "\"expects JSON null\"", expected: "null", split: "dev"),
            Case("q5", "\"expects a number\"", expected: "42.5", metadata: "{}"),
        };

        var saved = await store.SaveAsync("qa", cases, "datasets/qa.jsonl");
        var read = await store.ReadCasesAsync(saved.Version).ToListAsync();

        read.Select(View).Should().Equal(cases.Select(View));
        read[0].Input.ValueKind.Should().Be(JsonValueKind.String);
        read[0].InputText.Should().Be("What is 2+2?");
        read[1].Input.ValueKind.Should().Be(JsonValueKind.Object);
        read[2].Expected.Should().BeNull("a case without an expected value has none");
        read[3].Expected.Should().NotBeNull("JSON null is a value, not the absence of one");
        read[3].Expected!.Value.ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task DescribesTheSavedVersionWithItsContentHashCaseCountAndSplitCounts()
    {
        var store = await CreateStoreAsync();
        var cases = new[]
        {
            Case("a", "\"1\"", split: "train"),
            Case("b", "\"2\"", split: "test"),
            Case("c", "\"3\""),
            Case("d", "\"4\"", split: "train"),
        };

        var saved = await store.SaveAsync("numbers", cases, "datasets/numbers.jsonl");

        saved.Name.Should().Be("numbers");
        saved.Version.Should().Be(DatasetVersioning.ComputeVersion(cases));
        saved.CaseCount.Should().Be(4);
        saved.SplitCounts.Should().BeEquivalentTo(new Dictionary<string, int> { ["train"] = 2, ["test"] = 1 }, "a case without a split is in none");
        saved.SourcePath.Should().Be("datasets/numbers.jsonl");
        saved.CreatedAt.Should().Be(Start);
        (await store.ListVersionsAsync("numbers")).Should().ContainSingle().Which.Should().BeEquivalentTo(saved);
    }

    [Fact]
    public async Task ReadsOnlyTheRequestedSplitInFileOrder()
    {
        var store = await CreateStoreAsync();
        var cases = Enumerable.Range(0, 12)
            .Select(i => Case($"c{i:D2}", $"\"{i}\"", split: (i % 3) switch { 0 => "train", 1 => "test", _ => null }))
            .ToArray();
        var saved = await store.SaveAsync("mixed", cases, null);

        var test = await store.ReadCasesAsync(saved.Version, "test").ToListAsync();
        var dev = await store.ReadCasesAsync(saved.Version, "dev").ToListAsync();

        test.Select(c => c.Id).Should().Equal("c01", "c04", "c07", "c10");
        dev.Should().BeEmpty();
    }

    [Fact]
    public async Task SavingIdenticalContentTwiceReturnsTheSameVersionWithoutDuplicatingIt()
    {
        var store = await CreateStoreAsync();
        var cases = Enumerable.Range(0, 5).Select(i => Case($"c{i}", $"\"input {i}\"")).ToArray();

        var first = await store.SaveAsync("qa", cases, "qa.jsonl");
        Time.Advance(TimeSpan.FromMinutes(5));
        var copy = cases.Select(c => Case(c.Id, c.Input.GetRawText())).ToArray();
        var second = await store.SaveAsync("qa", copy, "qa.jsonl");

        second.Should().BeEquivalentTo(first, "the existing version is returned unchanged");
        (await store.ListVersionsAsync("qa")).Should().ContainSingle();
        (await store.ReadCasesAsync(first.Version).ToListAsync()).Should().HaveCount(5);
    }

    [Fact]
    public async Task SavingChangedContentCreatesANewVersionListedFirst()
    {
        var store = await CreateStoreAsync();
        var original = new[] { Case("a", "\"one\""), Case("b", "\"two\"") };
        var edited = new[] { Case("a", "\"one\""), Case("b", "\"two, edited\"") };

        var v1 = await store.SaveAsync("qa", original, null);
        Time.Advance(TimeSpan.FromSeconds(1));
        var v2 = await store.SaveAsync("qa", edited, null);

        v2.Version.Should().NotBe(v1.Version);
        (await store.ListVersionsAsync("qa")).Select(v => v.Version).Should().Equal(v2.Version, v1.Version);
        (await store.ReadCasesAsync(v1.Version).ToListAsync()).Select(View).Should().Equal(original.Select(View), "an old version is never overwritten");
        (await store.ReadCasesAsync(v2.Version).ToListAsync()).Select(View).Should().Equal(edited.Select(View));
    }

    [Fact]
    public async Task ListsVersionsOfEveryDatasetWhenNoNameIsGiven()
    {
        var store = await CreateStoreAsync();
        var qa = await store.SaveAsync("qa", [Case("a", "\"qa\"")], null);
        Time.Advance(TimeSpan.FromSeconds(1));
        var math = await store.SaveAsync("math", [Case("a", "\"math\"")], null);

        var all = await store.ListVersionsAsync();
        var onlyQa = await store.ListVersionsAsync("qa");
        var unknown = await store.ListVersionsAsync("nope");

        all.Select(v => (v.Name, v.Version)).Should().Equal((math.Name, math.Version), (qa.Name, qa.Version));
        onlyQa.Select(v => v.Name).Should().Equal("qa");
        unknown.Should().BeEmpty();
    }

    [Fact]
    public async Task TwoNamesWithIdenticalContentShareTheVersionAndBothReadBack()
    {
        var store = await CreateStoreAsync();
        var cases = new[] { Case("a", "\"same\""), Case("b", "\"content\"", split: "test") };

        var first = await store.SaveAsync("first", cases, null);
        var second = await store.SaveAsync("second", cases, null);

        second.Version.Should().Be(first.Version);
        (await store.ListVersionsAsync()).Select(v => v.Name).Should().BeEquivalentTo(["first", "second"]);
        (await store.ReadCasesAsync(first.Version).ToListAsync()).Select(View).Should().Equal(cases.Select(View));
    }

    [Fact]
    public async Task ReadingAnUnknownVersionYieldsNoCases()
    {
        var store = await CreateStoreAsync();

        var read = await store.ReadCasesAsync("0000000000000000000000000000000000000000000000000000000000000000").ToListAsync();

        read.Should().BeEmpty();
    }

    [Fact]
    public async Task AFailedSaveLeavesNoPartialSnapshot()
    {
        var store = await CreateStoreAsync();
        var cases = Enumerable.Range(0, 500).Select(i => Case($"c{i}", $"\"{i}\"")).ToArray();
        cases[250] = cases[250] with { Id = null! }; // a case id is required: the store rejects it half-way

        var save = () => store.SaveAsync("broken", cases, null);

        await save.Should().ThrowAsync<Exception>();
        (await store.ListVersionsAsync()).Should().BeEmpty();
        (await store.ReadCasesAsync(DatasetVersioning.ComputeVersion(cases)).ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task ACancelledSaveStoresNothing()
    {
        var store = await CreateStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var save = () => store.SaveAsync("qa", [Case("a", "\"x\"")], null, cancelled.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        (await store.ListVersionsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task StopsReadingCasesWhenCancelled()
    {
        var store = await CreateStoreAsync();
        var saved = await store.SaveAsync("qa", Enumerable.Range(0, 50).Select(i => Case($"c{i}", $"\"{i}\"")).ToArray(), null);
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        var enumerate = async () =>
        {
            await foreach (var _ in store.ReadCasesAsync(saved.Version, cancellationToken: cancellation.Token))
            {
                if (++read == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await enumerate.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(10);
    }

    protected static DatasetCase Case(string id, string inputJson, string? expected = null, string? metadata = null, string? split = null) =>
        new(id, JsonText.Parse(inputJson), JsonText.ParseOrNull(expected), JsonText.ParseOrNull(metadata), split);

    /// <summary>A comparable view of a case: JSON as compact text, and "(none)" for an absent value.</summary>
    protected static CaseView View(DatasetCase c) => new(c.Id, Json(c.Input), Json(c.Expected), Json(c.Metadata), c.Split);

    private static string Json(JsonElement? element) => element is { } e ? e.ValueKind + " " + JsonSerializer.Serialize(e) : "(none)";

    protected sealed record CaseView(string Id, string Input, string Expected, string Metadata, string? Split);
}
