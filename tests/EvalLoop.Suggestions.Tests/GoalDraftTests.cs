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
    [InlineData("at least 90% correct", 0.9)]
    [InlineData("95 percent of answers valid", 0.95)]
    [InlineData("be polite", null)]
    public void ReadsATargetFromTheDescriptionsNumbers(string text, double? expected) =>
        GoalTargetParser.Parse(text).Should().Be(expected);

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
