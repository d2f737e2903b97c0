using System.Text;
using System.Text.Json;
using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Running;
using Xunit.Abstractions;

namespace EvalLoop.Analysis.Tests;

public sealed class FailureAnalyzerTests(ITestOutputHelper output)
{
    private const string Confusion = "confusion";
    private const string Invalid = "invalid-label";
    private const string Empty = "empty-output";
    private const string Error = "error";

    [Fact]
    public async Task RecoversFourPlantedFailureKindsWithHighPurity()
    {
        var fixture = await PlantedRunAsync(seed: 7);

        var analysis = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);

        var purity = Purity(analysis, fixture.Planted);
        output.WriteLine($"purity {purity:0.000}\n{Describe(analysis, fixture.Planted)}\n{analysis.ParametersJson}");
        purity.Should().BeGreaterThanOrEqualTo(0.85, Describe(analysis, fixture.Planted));
        analysis.FailureCount.Should().Be(fixture.Planted.Count);
        analysis.Clusters.Sum(c => c.Size).Should().Be(fixture.Planted.Count, "every failure is in exactly one cluster");
        analysis.Clusters.SelectMany(c => c.Members).Select(m => m.CaseId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task NamesTheConfusionClusterByItsPairAndTheOthersByTheirSignal()
    {
        var fixture = await PlantedRunAsync(seed: 11);

        var analysis = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);

        var confusion = analysis.Clusters.Where(c => c.Kind == FailureKinds.Confusion).MaxBy(c => c.Size)!;
        confusion.Name.Should().Be("card_arrival \u2192 card_delivery_estimate");
        confusion.Description.Should().Contain("expected card_arrival, answered card_delivery_estimate");
        confusion.ConfusionPairs[0].Should().Be(new ConfusionPair("card_arrival", "card_delivery_estimate", confusion.ConfusionPairs[0].Count));
        confusion.TopTerms.Should().NotBeEmpty();
        confusion.ScorerFailures.Should().ContainSingle().Which.Should().Be(new ScorerFailure("intent-match", confusion.Size, 0));

        var errors = analysis.Clusters.Should().ContainSingle(c => c.Kind == FailureKinds.Error).Subject;
        errors.Name.Should().Be("http_500 errors");
        errors.Description.Should().Contain("http_500").And.Contain("no output");
        analysis.Clusters.Should().Contain(c => c.Kind == FailureKinds.EmptyOutput && c.Name.StartsWith("empty answers", StringComparison.Ordinal));
        analysis.Clusters.Should().Contain(c => c.Kind == FailureKinds.InvalidLabel && c.Description.Contains("does not exist", StringComparison.Ordinal));
        analysis.Clusters.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        analysis.Clusters.Select(c => c.Index).Should().Equal(Enumerable.Range(0, analysis.Clusters.Count));
        analysis.Clusters.Select(c => c.Size).Should().BeInDescendingOrder();
        analysis.Clusters.Sum(c => c.Share).Should().BeApproximately(1, 1e-9);
        analysis.Clusters.Should().OnlyContain(c => c.Id == $"{fixture.RunId}-c{c.Index}" && c.NamedBy == "heuristic");
        analysis.Clusters.Should().OnlyContain(c => c.Representatives.Count == Math.Min(5, c.Size) && c.Representatives.All(r => c.Members.Contains(r)));
    }

    [Fact]
    public async Task TheSameRunGivesTheSameClusters()
    {
        var fixture = await PlantedRunAsync(seed: 3);
        var analyzer = fixture.Analyzer();

        var first = await analyzer.AnalyzeAsync(fixture.RunId);
        var second = await analyzer.AnalyzeAsync(fixture.RunId);
        var fresh = await (await PlantedRunAsync(seed: 3)).Analyzer().AnalyzeAsync(fixture.RunId);

        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
        fresh.Should().BeEquivalentTo(first, o => o.WithStrictOrdering(), "a new process with a cold cache gets the same clusters too");
    }

    [Fact]
    public async Task StoresTheAnalysisWithTheAnalyzerVersionAndParameters()
    {
        var fixture = await PlantedRunAsync(seed: 5);

        var analysis = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);
        var stored = await fixture.Clusters.GetAsync(fixture.RunId);

        stored.Should().BeEquivalentTo(analysis, o => o.WithStrictOrdering());
        stored!.AnalyzerVersion.Should().Be(FailureAnalyzer.AnalyzerVersion).And.Contain("mlnet-kmeans");
        stored.CreatedAt.Should().Be(fixture.Time.GetUtcNow());
        using var parameters = JsonDocument.Parse(stored.ParametersJson);
        var root = parameters.RootElement;
        root.GetProperty("seed").GetInt32().Should().Be(42);
        var confusions = root.GetProperty("clustering").GetProperty("confusion");
        confusions.GetProperty("failures").GetInt32().Should().Be(40);
        confusions.GetProperty("k").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        confusions.GetProperty("silhouettes").EnumerateObject().Should().NotBeEmpty();
        confusions.GetProperty("k_range").EnumerateArray().Select(e => e.GetInt32()).Should().HaveCount(2);
        root.GetProperty("clustering").EnumerateObject().Select(p => p.Name).Should().Equal("empty-output", "invalid-label", "confusion");
        root.GetProperty("restarts").GetInt32().Should().Be(3);
        root.GetProperty("embedding_model").GetString().Should().Be("fake/offline-lexical-v1");
        root.GetProperty("dimensions").GetInt32().Should().Be(384);
        root.GetProperty("labels").GetProperty("classification").GetBoolean().Should().BeTrue();
        root.GetProperty("labels").GetProperty("from_prompt").GetInt32().Should().Be(AnalysisFixture.Labels.Length);
    }

    [Fact]
    public async Task ReanalysingARunEmbedsNothingAgain()
    {
        var fixture = await PlantedRunAsync(seed: 9);
        var first = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);
        var embedded = fixture.Generator.Texts;
        var cached = fixture.Cache.Count;

        var second = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);

        embedded.Should().BeGreaterThan(0);
        fixture.Generator.Texts.Should().Be(embedded, "every text's vector comes from the cache the second time");
        fixture.Cache.Count.Should().Be(cached);
        fixture.Cache.Hits.Should().Be(cached);
        second.Clusters.Should().BeEquivalentTo(first.Clusters, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task ARunWithoutFailuresGetsAnEmptyAnalysis()
    {
        var fixture = new AnalysisFixture();
        var random = new Random(1);
        foreach (var intent in AnalysisFixture.Labels)
        {
            fixture.Add(BankingMessages.For(intent, random), intent, intent);
        }

        await fixture.StoreAsync();

        var analysis = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);

        analysis.FailureCount.Should().Be(0);
        analysis.Clusters.Should().BeEmpty();
        (await fixture.Clusters.GetAsync(fixture.RunId)).Should().NotBeNull("an analysis that found nothing is still an analysis");
        fixture.Generator.Calls.Should().Be(0);
    }

    [Fact]
    public async Task ARunWhereEveryCaseErrorsGetsOneClusterPerErrorKind()
    {
        var fixture = new AnalysisFixture();
        var random = new Random(2);
        for (var i = 0; i < 30; i++)
        {
            var intent = BankingMessages.OtherIntent(random);
            fixture.Add(BankingMessages.For(intent, random), intent, null, errorKind: i % 3 == 0 ? "http_429" : "timeout");
        }

        await fixture.StoreAsync();

        var analysis = await fixture.Analyzer().AnalyzeAsync(fixture.RunId);

        analysis.FailureCount.Should().Be(30);
        analysis.Clusters.Select(c => (c.Name, c.Kind, c.Size)).Should().Equal(("timeout errors", "error", 20), ("http_429 errors", "error", 10));
        analysis.Clusters[0].Description.Should().Contain("timeout");
        analysis.Clusters[0].ScorerFailures.Should().BeEmpty("no scorer ran on a case without output");
        analysis.Clusters[0].Representatives.Should().HaveCount(5);
        using var parameters = JsonDocument.Parse(analysis.ParametersJson);
        parameters.RootElement.TryGetProperty("clustering", out _).Should().BeFalse("nothing was left for KMeans");
    }

    [Fact]
    public async Task HandlesVeryLongAndNonAsciiTexts()
    {
        var fixture = new AnalysisFixture();
        var random = new Random(4);
        string[] scripts =
        [
            "我的卡还没有到，已经等了十天了。请问什么时候能到？",
            "Моя карта до сих пор не пришла, что делать?",
            "لم تصل بطاقتي بعد، متى ستصل؟",
            "Ma carte n’est toujours pas arrivée 😤🙏 — où est-elle ?",
            "カードがまだ届きません。いつ届きますか？",
            "Die Karte ist noch nicht angekommen, Grüße aus Köln 🇩🇪",
        ];
        var huge = new StringBuilder();
        while (huge.Length < 250_000)
        {
            huge.Append("Where is my card? 卡在哪里? 🃏 ");
        }

        for (var i = 0; i < 24; i++)
        {
            var input = i % 6 == 5 ? huge.ToString() : scripts[i % scripts.Length] + " #" + i;
            var output = i % 4 == 0 ? "配送の見積もり " + new string('é', 5_000) : "card_delivery_estimate";
            fixture.Add(input, "card_arrival", output);
        }

        await fixture.StoreAsync();
        var options = new FailureAnalyzerOptions();

        var analysis = await fixture.Analyzer(options).AnalyzeAsync(fixture.RunId);

        analysis.FailureCount.Should().Be(24);
        analysis.Clusters.Sum(c => c.Size).Should().Be(24);
        analysis.Clusters.Should().Contain(c => c.Kind == FailureKinds.InvalidLabel && c.Size == 6);
        analysis.Clusters.Should().OnlyContain(c => c.Name.Length <= 120 && IsWellFormed(c.Name) && IsWellFormed(c.Description) && !c.Description.Contains('\n'));
        fixture.Generator.Texts.Should().BeGreaterThan(0);
        var stored = await fixture.Clusters.GetAsync(fixture.RunId);
        stored!.Clusters.Should().HaveCount(analysis.Clusters.Count);
    }

    [Fact]
    public async Task CutsTextsToTheMaximumLengthBeforeEmbeddingThem()
    {
        var lengths = new List<int>();
        var fixture = new AnalysisFixture();
        fixture.Add(new string('x', 10_000) + "😤", "card_arrival", "card_delivery_estimate");
        fixture.Add("short", "card_arrival", "card_delivery_estimate");
        await fixture.StoreAsync();
        var generator = new TestUtilities.Fakes.CallbackEmbeddingGenerator(text =>
        {
            lengths.Add(text.Length);
            return [1f, 0f];
        });
        var analyzer = new FailureAnalyzer(fixture.Runs, fixture.Runs, fixture.Datasets, fixture.Clusters, generator, new FailureAnalyzerOptions { MaxEmbeddedCharacters = 100 });

        await analyzer.AnalyzeAsync(fixture.RunId);

        lengths.Should().NotBeEmpty().And.OnlyContain(l => l <= 100);
    }

    [Fact]
    public async Task AnUnknownRunIsRunNotFound()
    {
        var fixture = await new AnalysisFixture().StoreAsync();

        var analyze = () => fixture.Analyzer().AnalyzeAsync("no-such-run");

        await analyze.Should().ThrowAsync<RunNotFoundException>();
    }

    [Fact]
    public async Task ReportsItsStagesAsItGoes()
    {
        var fixture = await PlantedRunAsync(seed: 1);
        var stages = new List<string>();

        await fixture.Analyzer().AnalyzeAsync(fixture.RunId, new SynchronousProgress(p => stages.Add(p.Stage)));

        stages.Distinct().Should().Equal("loading", "embedding", "clustering", "saving");
    }

    /// <summary>
    /// 4 planted kinds among 100 passing cases: 40 card_arrival inputs answered card_delivery_estimate, 30 answers that
    /// are not labels, 25 empty answers and 20 provider errors; their inputs and expected labels come from the same pool.
    /// </summary>
    internal static async Task<AnalysisFixture> PlantedRunAsync(int seed)
    {
        var fixture = new AnalysisFixture();
        var random = new Random(seed);
        string[] invalid = ["card_arival", "I am not sure", "refund", "unknown", "delivery_time", "Card status"];
        var plan = Enumerable.Repeat(Confusion, 40)
            .Concat(Enumerable.Repeat(Invalid, 30))
            .Concat(Enumerable.Repeat(Empty, 25))
            .Concat(Enumerable.Repeat(Error, 20))
            .Concat(Enumerable.Repeat("pass", 100))
            .ToArray();
        random.Shuffle(plan);
        foreach (var kind in plan)
        {
            var expected = kind == Confusion ? "card_arrival" : random.Next(3) == 0 ? "card_arrival" : BankingMessages.OtherIntent(random);
            var input = BankingMessages.For(expected, random);
            _ = kind switch
            {
                Confusion => fixture.Add(input, expected, "card_delivery_estimate", planted: kind),
                Invalid => fixture.Add(input, expected, invalid[random.Next(invalid.Length)], planted: kind),
                Empty => fixture.Add(input, expected, random.Next(2) == 0 ? string.Empty : "  ", planted: kind),
                Error => fixture.Add(input, expected, null, errorKind: "http_500", planted: kind),
                _ => fixture.Add(input, expected, expected),
            };
        }

        return await fixture.StoreAsync();
    }

    /// <summary>The share of failures whose cluster's most common planted kind is their own.</summary>
    internal static double Purity(ClusterAnalysis analysis, IReadOnlyDictionary<string, string> planted) =>
        analysis.Clusters.Sum(c => c.Members.GroupBy(m => planted[m.CaseId]).Max(g => g.Count())) / (double)planted.Count;

    private static string Describe(ClusterAnalysis analysis, Dictionary<string, string> planted) =>
        string.Join("\n", analysis.Clusters.Select(c =>
            $"{c.Name} [{c.Kind}] {c.Size}: " + string.Join(", ", c.Members.GroupBy(m => planted[m.CaseId]).Select(g => $"{g.Key}={g.Count()}"))));

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[++i]) : char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class SynchronousProgress(Action<AnalysisProgress> report) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => report(value);
    }
}
