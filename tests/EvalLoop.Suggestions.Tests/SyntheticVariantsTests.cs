using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Dataset;
using EvalLoop.Suggestions.Verification;
using EvalLoop.TestUtilities;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// Model-written dataset variants against the loopback OpenAI-compatible server: a task model that answers "bug" to
/// everything (so billing and feature requests fail), and a scripted reply for the synthetic cases.
/// </summary>
public sealed class SyntheticVariantsTests : IAsyncLifetime
{
    private const string LabelList = "Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n";
    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AddsModelWrittenCasesMarkedSyntheticAndRejectsAnInventedLabelAndACopyOfAnExistingCase()
    {
        // Arrange
        var existing = TicketsWorkspace.Cases().First(c => c.Split == "test");
        var reply = JsonSerializer.Serialize(new
        {
            cases = new object[]
            {
                new { input = "I was charged three times for a single order last week", expected = "billing" },
                new { input = "Could the mobile app get a widget for the home screen", expected = "feature_request" },
                new { input = existing.Input + "!", expected = existing.Expected },
                new { input = "My parcel never arrived at the warehouse", expected = "shipping" },
            },
        });
        using var harness = Harness(reply);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle("the second cluster gets the same cases, which now repeat the first's").Subject;
        suggestion.Kind.Should().Be(SuggestionKinds.Dataset);
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        change.Strategy.Should().Be("synthetic-variants");
        change.Operations.Should().HaveCount(2).And.OnlyContain(o => o.Op == DatasetOperation.Add && o.SplitAfter == "dev");
        change.Operations.Select(o => (o.Input, o.ExpectedAfter)).Should().Equal(
            ("I was charged three times for a single order last week", "billing"),
            ("Could the mobile app get a widget for the home screen", "feature_request"));
        foreach (var op in change.Operations)
        {
            using var row = JsonDocument.Parse(op.Line!);
            var metadata = row.RootElement.GetProperty("metadata");
            metadata.GetProperty("synthetic").GetBoolean().Should().BeTrue();
            metadata.GetProperty("source").GetString().Should().Be("llm");
            metadata.GetProperty("model").GetString().Should().Be("openai/loopback-model");
            row.RootElement.GetProperty("id").GetString().Should().Be(op.CaseId).And.StartWith("syn-");
        }

        outcome.Notes.Should().Contain(n => n.Contains("synthetic-variants", StringComparison.Ordinal) && n.Contains("shipping", StringComparison.Ordinal) && n.Contains("1 repeated a case", StringComparison.Ordinal));
        var evidence = SuggestionJson.Deserialize<DatasetEvidence>(suggestion.EvidenceJson!);
        evidence.RowsRunId.Should().NotBeNull();
        var rows = evidence.Baseline.Single(b => b.Label == "the rows to add");
        rows.Cases.Should().Be(2);
        rows.PassRate.Should().Be(0, "the task model answers 'bug' and neither new row is a bug");
        var asIs = evidence.Baseline.Single(b => b.Label == "analysis half, as it is");
        var withRows = evidence.Baseline.Single(b => b.Label == "analysis half with the rows");
        withRows.Cases.Should().Be(asIs.Cases + 2);
        withRows.PassRate.Should().BeApproximately(asIs.PassRate * asIs.Cases / (asIs.Cases + 2), 1e-9);
        _server.Requests.Should().Contain(r => r.Body.Contains("You are helping to build an evaluation dataset", StringComparison.Ordinal) && r.Body.Contains("billing, bug, feature_request", StringComparison.Ordinal));

        // Approving appends the rows, which load as synthetic cases of dev.
        await harness.Approver.ApproveAsync(suggestion.Id, "reviewer");
        var cases = await JsonlDatasetReader.ReadAsync(harness.File("datasets/tickets.jsonl"));
        var added = cases.Where(c => c.Id.StartsWith("syn-", StringComparison.Ordinal)).ToList();
        added.Should().HaveCount(2).And.OnlyContain(c => c.Split == "dev" && c.Metadata!.Value.GetProperty("synthetic").GetBoolean());
    }

    [Fact]
    public async Task TheNoteCountsUnknownLabelsBeforeTheCapOnCasesPerCluster()
    {
        // Arrange: six cases with a known label (one more than the five asked for) and one with an invented label.
        var reply = JsonSerializer.Serialize(new
        {
            cases = new object[]
            {
                new { input = "I was charged three times for a single order last week", expected = "billing" },
                new { input = "Could the mobile app get a widget for the home screen", expected = "feature_request" },
                new { input = "My parcel never arrived at the warehouse", expected = "shipping" },
                new { input = "The invoice shows a VAT amount that looks wrong", expected = "billing" },
                new { input = "Please add a dark theme to the settings", expected = "feature_request" },
                new { input = "Refund the duplicate subscription payment from March", expected = "billing" },
                new { input = "Let me export reports as spreadsheets", expected = "feature_request" },
            },
        });
        using var harness = Harness(reply);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var note = outcome.Notes.Should().Contain(n => n.StartsWith("synthetic-variants: of the model's 7 case(s)", StringComparison.Ordinal) && n.Contains("0 repeated a case", StringComparison.Ordinal)).Which;
        note.Should().Contain(", 1 had a label that is not a known one (shipping) and", "six of the seven labels are known; only the cap left one of them out")
            .And.EndWith("; they were dropped; 1 more than the 5 asked for were not used.");
        SuggestionJson.Deserialize<DatasetChange>(outcome.Created.Should().ContainSingle().Subject.ChangeJson).Operations.Should().HaveCount(5);
    }

    [Fact]
    public async Task AMalformedReplyGivesNoSuggestionAndANote()
    {
        // Arrange
        using var harness = Harness("Sure! Here are five great new tickets: 1. I was charged twice ...");
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().BeEmpty();
        outcome.Notes.Should().Contain(n => n.StartsWith("synthetic-variants: the model's cases for", StringComparison.Ordinal) && n.Contains("could not be used", StringComparison.Ordinal));
        _server.Requests.Should().Contain(r => r.Body.Contains("You are helping to build an evaluation dataset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOfflineModelNeverAsksForSyntheticCases()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new SyntheticVariantsStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().BeEmpty();
        _server.RequestCount.Should().Be(0);
    }

    private SuggestionHarness Harness(string syntheticReply)
    {
        _server.Responder = request => request.LastUserMessage.Contains("You are helping to build an evaluation dataset", StringComparison.Ordinal) ? syntheticReply : "bug";
        var files = TicketsWorkspace.Files(LabelList);
        files["experiments/tickets.yaml"] = files["experiments/tickets.yaml"].Replace("  provider: offline", $"  provider: openai\n  name: loopback-model\n  base_url: {_server.OpenAiBaseUrl}", StringComparison.Ordinal);
        return SuggestionHarness.With(files, [new SyntheticVariantsStrategy()]);
    }
}
