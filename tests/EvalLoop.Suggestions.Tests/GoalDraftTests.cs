using EvalLoop.Core.Goals;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Goals;

namespace EvalLoop.Suggestions.Tests;

public sealed class GoalDraftTests
{
    [Theory]
    [InlineData("accuracy >= 0.85 on the test split", 0.85)]
    [InlineData("accuracy>=0.85", 0.85)]
    [InlineData("at least 90% correct", 0.9)]
    [InlineData("95 percent of answers valid", 0.95)]
    [InlineData("≥ 0.9 of the answers are a known intent", 0.9)]
    [InlineData("90% accuracy on the test split", 0.9)]
    [InlineData("an accuracy of 90%", 0.9)]
    [InlineData("an accuracy of at least 0.8", 0.8)]
    [InlineData("pass rate 0.95", 0.95)]
    [InlineData("accuracy: .75", 0.75)]
    [InlineData("no less than 85% accuracy", 0.85)]
    [InlineData("Extract the order as JSON, 95% of the time", 0.95)]
    [InlineData("be polite", null)]
    [InlineData("answers with exactly 1 label", null)]
    [InlineData("at least 1 intent per message", null)]
    [InlineData("cut errors by 5%", null)]
    [InlineData("reduce errors by at least 5%", null)]
    [InlineData("answers within at least 0.5 seconds", null)]
    [InlineData("answers with exactly one of the known intents", null)]
    [InlineData("accuracy of 85 on the test split", null)]
    [InlineData("no more than 2% wrong", null)]
    [InlineData("at most 5% of answers mislabelled", null)]
    [InlineData("error rate <= 0.1", null)]
    public void ReadsATargetOnlyFromANumberTiedToALowerBoundOrAPassRate(string text, double? expected) =>
        GoalTargetParser.Parse(text).Should().Be(expected);

    [Theory]
    [InlineData("at most 5% of answers mislabelled", true)]
    [InlineData("error rate <= 0.1", true)]
    [InlineData("error rate ≤ 10%", true)]
    [InlineData("no more than 2% wrong", true)]
    [InlineData("fewer than 3% refusals", true)]
    [InlineData("accuracy >= 0.85", false)]
    [InlineData("no less than 85% accuracy", false)]
    [InlineData("at least 90% correct", false)]
    [InlineData("route each message to the right intent", false)]
    public void TellsAnUpperBoundWhichATargetCannotExpress(string text, bool expected) =>
        GoalTargetParser.HasUpperBound(text).Should().Be(expected);

    [Fact]
    public async Task DraftsTheLabelSetClauseAsOneOfWithTheDatasetsLabelsAndInventsNoTarget()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var drafter = new OfflineGoalDrafter(harness.Layout);

        // Act
        var draft = await drafter.DraftAsync("routing", "Route each message to the right intent; answers with exactly one of the known intents", "banking77");

        // Assert
        var goal = GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content);
        goal.Requirements.Select(r => (r.Text, r.CoveredBy.Single().Scorer)).Should().Equal(
            ("Route each message to the right intent", "exact-match"),
            ("answers with exactly one of the known intents", "routing-labels"));
        goal.Requirements.Should().OnlyContain(r => r.Target == null, "the description states no number");
        draft.Uncovered.Should().BeEmpty();
        var scorer = draft.Files.Single(f => f.Path == "scorers/routing-labels.yaml").Content;
        scorer.Should().Contain("type: one-of").And.Contain("- \"card_arrival\"");
        scorer.Split('\n').Count(l => l.StartsWith("    - ", StringComparison.Ordinal)).Should().Be(77);
        draft.Files.Single(f => f.Path == "experiments/routing.yaml").Content.Should().NotContain("targets:");
    }

    [Fact]
    public async Task LeavesAnUpperBoundClauseUncoveredRatherThanMisreadIt()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();

        // Act
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85; at most 5% of intents mislabelled", "banking77");

        // Assert
        var goal = GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content);
        goal.Requirements[0].Target.Should().Be(0.85);
        goal.Requirements[1].Should().Match<GoalRequirement>(r => r.Text == "at most 5% of intents mislabelled" && r.Target == null && !r.IsCovered);
        draft.Uncovered.Should().Equal(goal.Requirements[1].Id);
    }

    [Fact]
    public async Task DraftsAOneOfScorerWithThe77LabelsAndAnAccuracyTargetOnTheBanking77SampleWithoutWritingAnything()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var drafter = new OfflineGoalDrafter(harness.Layout);
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs);

        // Act
        var draft = await drafter.DraftAsync("routing", "Route each message to the right intent; accuracy >= 0.85 on the test split; never reveal an account number", "banking77");
        var suggestion = await proposals.ProposeAsync(draft);

        // Assert
        suggestion.Kind.Should().Be(SuggestionKinds.Goal);
        suggestion.Status.Should().Be(SuggestionStatus.Pending);
        draft.Files.Select(f => f.Path).Should().Equal("experiments/goals/routing.yaml", "scorers/routing-labels.yaml", "experiments/routing.yaml");
        draft.Files.Should().OnlyContain(f => !File.Exists(harness.File(f.Path)), "nothing is written before approval");
        var labels = draft.Files[1].Content.Split('\n').Count(l => l.StartsWith("    - ", StringComparison.Ordinal));
        labels.Should().Be(77);
        draft.Files[1].Content.Should().Contain("type: one-of");
        draft.Files[2].Content.Should().Contain("targets: { exact-match: 0.85 }");
        draft.Uncovered.Should().Equal("never-reveal-an-account");
        var goal = GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content);
        goal.Requirements.Single(r => r.Target == 0.85).CoveredBy.Single().Scorer.Should().Be("exact-match");
        goal.Requirements.Single(r => r.Id == "answers-in-label-set").CoveredBy.Single().Scorer.Should().Be("routing-labels");
    }

    [Fact]
    public async Task TheCommonApprovalPathWritesEveryDraftedFileWithAVersionAndAnAuditRowAndTheDraftedExperimentLoads()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs);
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85", "banking77");
        var suggestion = await proposals.ProposeAsync(draft);

        // Act
        var result = await harness.Approver.ApproveAsync(suggestion.Id, "tester", "looks right");
        var experiment = await harness.Experiments.LoadAsync("routing");
        var goal = await new GoalLoader(harness.Layout).LoadAsync("routing");

        // Assert
        result.Suggestion.Status.Should().Be(SuggestionStatus.Approved);
        result.Suggestion.ResultingVersion.Should().Be("sha-" + FileContentHash.Compute(draft.Files[0].Content)[..12]);
        result.Files.Select(f => f.FilePath).Should().Equal(draft.Files.Select(f => f.Path));
        foreach (var file in draft.Files)
        {
            (await File.ReadAllTextAsync(harness.File(file.Path))).Should().Be(file.Content);
            var history = await harness.Versions.ListAsync(file.Path);
            history.Should().HaveCount(2, "the (empty) state before approval and the drafted file are both recorded");
            history[0].Content.Should().Be(file.Content);
            history[0].SuggestionId.Should().Be(suggestion.Id);
            history[1].Content.Should().BeEmpty();
        }

        (await harness.Versions.ListAsync("experiments/goals/routing.yaml"))[0].Should().Match<FileVersion>(v => v.Kind == FileVersionKinds.Goal && v.Name == "routing");
        (await harness.Versions.ListAsync("scorers/routing-labels.yaml"))[0].Kind.Should().Be(FileVersionKinds.Scorer);
        var events = new List<SuggestionEvent>();
        await foreach (var e in harness.Suggestions.ReadHistoryAsync(suggestion.Id))
        {
            events.Add(e);
        }

        events.Should().HaveCount(2);
        events[1].ToStatus.Should().Be(SuggestionStatus.Approved);
        events[1].Snapshot.DecidedBy.Should().Be("tester");
        events[1].Snapshot.DecisionReason.Should().Be("looks right");
        GoalReference.GoalName(experiment.Goal).Should().Be("routing");
        experiment.Scorers.Select(s => s.Name).Should().Equal("exact-match", "routing-labels");
        goal.Experiments.Should().Equal("routing");
        var again = () => harness.Approver.ApproveAsync(suggestion.Id, "tester");
        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("*already approved*");
    }

    [Fact]
    public async Task ApprovalRefusesAsAConflictWhenADraftedFileAppearedMeanwhileWithOtherContentAndWritesNothing()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs);
        var suggestion = await proposals.ProposeAsync(await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85", "banking77"));
        await File.WriteAllTextAsync(harness.File("experiments/routing.yaml"), "# by hand\n");

        // Act
        var act = () => harness.Approver.ApproveAsync(suggestion.Id, "tester");

        // Assert
        await act.Should().ThrowAsync<SuggestionConflictException>().WithMessage("*experiments/routing.yaml exists now with other content*");
        File.Exists(harness.File("experiments/goals/routing.yaml")).Should().BeFalse();
        File.Exists(harness.File("scorers/routing-labels.yaml")).Should().BeFalse();
        (await File.ReadAllTextAsync(harness.File("experiments/routing.yaml"))).Should().Be("# by hand\n");
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
        (await harness.Versions.ListAsync("experiments/goals/routing.yaml")).Should().BeEmpty();
    }

    [Fact]
    public async Task AFileThatAppearedMeanwhileWithExactlyTheDraftedContentIsNoConflict()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs);
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85", "banking77");
        var suggestion = await proposals.ProposeAsync(draft);
        var scorer = draft.Files.Single(f => f.Path.StartsWith("scorers/", StringComparison.Ordinal));
        await File.WriteAllTextAsync(harness.File(scorer.Path), scorer.Content);

        // Act
        var result = await harness.Approver.ApproveAsync(suggestion.Id, "tester");

        // Assert
        result.Suggestion.Status.Should().Be(SuggestionStatus.Approved);
        draft.Files.Should().OnlyContain(f => File.ReadAllText(harness.File(f.Path)) == f.Content);
    }

    [Fact]
    public async Task DraftsAJsonValidityCheckWhenEveryExpectedValueIsJson()
    {
        // Arrange
        using var harness = SuggestionHarness.With(new Dictionary<string, string>
        {
            ["datasets/orders.jsonl"] = string.Join('\n',
                """{"id": "1", "input": "two apples", "expected": {"item": "apple", "qty": 2}}""",
                """{"id": "2", "input": "one pear", "expected": "{\"item\": \"pear\", \"qty\": 1}"}""",
                """{"id": "3", "input": "three figs", "expected": [{"item": "fig", "qty": 3}]}""") + "\n",
        });

        // Act
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("orders", "Extract the order as JSON, 95% of the time; be polite", "orders");

        // Assert
        draft.Files.Select(f => f.Path).Should().Equal("experiments/goals/orders.yaml", "experiments/orders.yaml");
        var goal = GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content);
        var json = goal.Requirements.Single(r => r.IsCovered);
        json.CoveredBy.Single().Scorer.Should().Be("json-valid");
        json.Target.Should().Be(0.95);
        draft.Uncovered.Should().Equal("be-polite");
        draft.Files[1].Content.Should().Contain("scorers: [json-valid]");
    }

    [Fact]
    public async Task WithoutADatasetEveryRequirementIsUncoveredAndOnlyTheGoalFileIsDrafted()
    {
        // Arrange
        using var harness = SuggestionHarness.With(new Dictionary<string, string> { ["datasets/.keep"] = string.Empty });

        // Act
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("support", "Answer politely. Accuracy >= 0.9.", dataset: null);

        // Assert
        draft.Files.Should().ContainSingle().Which.Path.Should().Be("experiments/goals/support.yaml");
        draft.Uncovered.Should().HaveCount(2);
        GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content).Requirements[1].Target.Should().Be(0.9);
    }
}
