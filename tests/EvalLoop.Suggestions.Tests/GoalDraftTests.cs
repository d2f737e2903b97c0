using EvalLoop.Core.Goals;
using EvalLoop.Core.Suggestions;
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
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs, harness.Layout);

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
    public async Task ApprovalWritesEveryDraftedFileAndTheDraftedExperimentLoads()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs, harness.Layout);
        var draft = await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85", "banking77");
        var suggestion = await proposals.ProposeAsync(draft);

        // Act
        var approved = await proposals.ApproveAsync(suggestion.Id, "tester");
        var experiment = await harness.Experiments.LoadAsync("routing");
        var goal = await new GoalLoader(harness.Layout).LoadAsync("routing");

        // Assert
        approved.Status.Should().Be(SuggestionStatus.Approved);
        approved.ResultingVersion.Should().StartWith("sha-");
        GoalReference.GoalName(experiment.Goal).Should().Be("routing");
        experiment.Scorers.Select(s => s.Name).Should().Equal("exact-match", "routing-labels");
        goal.Experiments.Should().Equal("routing");
        var again = () => proposals.ApproveAsync(suggestion.Id, "tester");
        await again.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task ApprovalRefusesWhenADraftedFileAppearedMeanwhileAndWritesNothing()
    {
        // Arrange
        using var harness = SuggestionHarness.Sample();
        var proposals = new GoalDraftSuggestions(harness.Suggestions, harness.Runs, harness.Layout);
        var suggestion = await proposals.ProposeAsync(await new OfflineGoalDrafter(harness.Layout).DraftAsync("routing", "accuracy >= 0.85", "banking77"));
        await File.WriteAllTextAsync(harness.File("experiments/routing.yaml"), "# by hand\n");

        // Act
        var act = () => proposals.ApproveAsync(suggestion.Id, "tester");

        // Assert
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*experiments/routing.yaml exists*");
        File.Exists(harness.File("experiments/goals/routing.yaml")).Should().BeFalse();
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
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
