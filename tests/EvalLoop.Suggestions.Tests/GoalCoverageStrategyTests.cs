using EvalLoop.Core.Goals;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Text;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>Scorer suggestions for the uncovered requirements of the experiment's goal, and their approval into both files.</summary>
public sealed class GoalCoverageStrategyTests
{
    // "Bug" is listed (and shown in examples) capitalised: the offline model answers "Bug", which the case-insensitive
    // label-match accepts.
    private const string LabelList = "Classify the support ticket. Answer with exactly one of:\n- billing\n- Bug\n- feature_request\n\n"
        + "Input: The app crashes when I open the page\nOutput: Bug\n\nInput: Error 500 when the screen freezes after login\nOutput: Bug\n\n"
        + "Input: Sync fails with an exception and buttons do nothing\nOutput: Bug\n";
    private const string GoalPath = "experiments/goals/tickets-goal.yaml";
    private const string ExperimentPath = "experiments/tickets.yaml";

    private const string Goal = """
        # What good looks like for tickets.
        name: tickets-goal
        description: "Route each ticket to the right label, in lower case."
        experiments: [tickets]
        requirements:
          - id: right-label
            text: "accuracy >= 0.9"
            covered_by:
              - { experiment: tickets, scorer: label-match }
          - id: in-label-set
            text: "answers with one of the known labels"
          - id: lower-case
            text: "answers in lower case"
          - id: polite
            text: "be polite"

        """;

    /// <summary>The goal file as edited by hand after the suggestion was made.</summary>
    private const string EditedGoal = Goal + "# edited by hand\n";

    private static Dictionary<string, string> Files(bool withGoal = true)
    {
        var files = TicketsWorkspace.Files(LabelList);
        if (withGoal)
        {
            files[ExperimentPath] = files[ExperimentPath].Replace("name: tickets\n", "name: tickets\ngoal: tickets-goal\n", StringComparison.Ordinal);
            files[GoalPath] = Goal;
        }

        return files;
    }

    [Fact]
    public async Task ProposesAOneOfAndALowerCaseScorerForTheUncoveredRequirementsAndListsTheCasesTheyWouldFail()
    {
        // Arrange
        using var harness = SuggestionHarness.With(Files(), [new GoalCoverageStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().HaveCount(2).And.OnlyContain(s => s.Kind == SuggestionKinds.Scorer);
        var changes = outcome.Created.Select(s => SuggestionJson.Deserialize<ScorerChange>(s.ChangeJson)).ToList();
        changes.Select(c => (c.ScorerName, c.ScorerType)).Should().Equal(("in-label-set", "one-of"), ("lower-case", "regex"));
        changes.Should().OnlyContain(c => c.Adds && c.Inline && c.FilePath == ExperimentPath && c.Goal!.GoalPath == GoalPath && c.Goal.Experiment == "tickets");
        changes[0].OptionsAfter!["values"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal(TicketsWorkspace.Labels);
        changes[1].OptionsAfter!["pattern"]!.GetValue<string>().Should().Be(InstructionChecks.LowerCasePattern).And.Be(@"^\P{Lu}*$", "any script's capitals break lower case, as the prompt strategy checks it");
        outcome.Notes.Should().Contain(n => n.Contains("'polite'", StringComparison.Ordinal) && n.Contains("stays uncovered", StringComparison.Ordinal));

        // Every stored result that passes now and answered "Bug" fails both new scorers: those, and only those, flip.
        foreach (var suggestion in outcome.Created)
        {
            var evidence = SuggestionJson.Deserialize<ScorerEvidence>(suggestion.EvidenceJson!);
            evidence.Runs.Should().ContainSingle("the requested run is on the held-out split; only the analysis run's outputs are re-scored");
            foreach (var run in evidence.Runs)
            {
                var expected = new List<string>();
                var seen = new List<string>();
                await foreach (var result in harness.Runs.ReadAsync(run.RunId))
                {
                    seen.Add($"{result.Output}/{result.Passed}");
                    if (result.Passed && result.Output == "Bug")
                    {
                        expected.Add(result.CaseId);
                    }
                }

                expected.Should().NotBeEmpty("the offline model answers the capitalised label it was given ({0})", string.Join(", ", seen.Distinct()));
                run.Flips.Select(f => f.CaseId).Should().BeEquivalentTo(expected);
                run.Flips.Should().OnlyContain(f => f.PassedBefore && !f.PassedAfter);
                run.PassRateAfter.Should().BeApproximately(run.PassRateBefore - ((double)expected.Count / run.Results), 1e-9);
            }
        }
    }

    [Fact]
    public async Task ApprovingAddsTheScorerToTheExperimentAndMapsTheRequirementInTheGoalFileAsNewVersionsOfBoth()
    {
        // Arrange
        using var harness = SuggestionHarness.With(Files(), [new GoalCoverageStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var suggestion = (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created.Single(s => s.Title.Contains("'lower-case'", StringComparison.Ordinal));
        var experimentBefore = await File.ReadAllTextAsync(harness.File(ExperimentPath));

        // Act
        var result = await harness.Approver.ApproveAsync(suggestion.Id, "reviewer");

        // Assert
        result.Files.Select(f => f.FilePath).Should().Equal(ExperimentPath, GoalPath);
        var experimentAfter = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        experimentAfter.Should().Contain("scorers: [label-match, { name: \"lower-case\", type: \"regex\", options: { pattern: \"^\\\\P{Lu}*$\" } }]");
        experimentAfter.Replace(", { name: \"lower-case\", type: \"regex\", options: { pattern: \"^\\\\P{Lu}*$\" } }", string.Empty, StringComparison.Ordinal).Should().Be(experimentBefore, "only the scorers list changes");
        var experiment = await harness.Experiments.LoadAsync(harness.File(ExperimentPath));
        experiment.Scorers.Select(s => s.Name).Should().Equal("label-match", "lower-case");
        var goal = await new GoalLoader(harness.Layout).LoadAsync("tickets-goal");
        goal.Requirements.Single(r => r.Id == "lower-case").CoveredBy.Should().Equal(new GoalCoverage("tickets", "lower-case", null));
        goal.Requirements.Where(r => !r.IsCovered).Select(r => r.Id).Should().Equal("in-label-set", "polite");
        (await File.ReadAllTextAsync(harness.File(GoalPath))).Should().StartWith("# What good looks like for tickets.");
        var goalVersions = await harness.Versions.ListAsync(GoalPath);
        goalVersions.Select(v => v.Content).Should().Equal(await File.ReadAllTextAsync(harness.File(GoalPath)), Goal);
        goalVersions[0].SuggestionId.Should().Be(suggestion.Id);
        goalVersions[0].Name.Should().Be("tickets-goal");
        goalVersions[0].Kind.Should().Be(FileVersionKinds.Goal);
        (await harness.Versions.ListAsync(ExperimentPath)).Select(v => v.Content).Should().Equal(experimentAfter, experimentBefore);
        result.Suggestion.Status.Should().Be(SuggestionStatus.Approved);
    }

    [Fact]
    public async Task RefusesWhenTheGoalFileChangedSinceAndWritesNeitherFile()
    {
        // Arrange
        using var harness = SuggestionHarness.With(Files(), [new GoalCoverageStrategy()]);
        var suggestion = await FirstSuggestionAsync(harness);
        var experimentBefore = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        await File.WriteAllTextAsync(harness.File(GoalPath), EditedGoal);

        // Act
        var approve = () => harness.Approver.ApproveAsync(suggestion.Id, "reviewer");

        // Assert
        (await approve.Should().ThrowAsync<SuggestionConflictException>()).Which.Message.Should().Contain(GoalPath);
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(experimentBefore);
        (await File.ReadAllTextAsync(harness.File(GoalPath))).Should().Be(EditedGoal);
        (await harness.Versions.ListAsync(ExperimentPath)).Should().BeEmpty();
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
    }

    [Fact]
    public async Task WhenTheGoalFileIsRefusedAfterTheExperimentWasWrittenTheExperimentIsRestoredAndTheErrorSaysSo()
    {
        // Arrange
        using var harness = SuggestionHarness.With(Files(), [new GoalCoverageStrategy()]);
        var suggestion = await FirstSuggestionAsync(harness);
        var experimentBefore = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        // The goal file changes between the two writes of the approval: its write is refused.
        var approver = ApproverThatChangesFilesAfterWritingTheExperiment(harness, () => File.WriteAllTextAsync(harness.File(GoalPath), EditedGoal));

        // Act
        var approve = () => approver.ApproveAsync(suggestion.Id, "reviewer");

        // Assert
        var thrown = (await approve.Should().ThrowAsync<SuggestionConflictException>()).Which;
        thrown.InnerException.Should().BeOfType<SuggestionConflictException>().Which.Message.Should().Contain($"{GoalPath} has changed since suggestion {suggestion.Id}");
        thrown.Message.Should().StartWith(thrown.InnerException!.Message).And.Contain($"Rolled back: {ExperimentPath} restored to the content before the approval.").And.NotContain("NOT restored");
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(experimentBefore);
        (await File.ReadAllTextAsync(harness.File(GoalPath))).Should().Be(EditedGoal);
        var history = await harness.Versions.ListAsync(ExperimentPath);
        history.Select(v => v.Content).Should().HaveCount(3).And.StartWith(experimentBefore).And.EndWith(experimentBefore);
        history[0].Note.Should().StartWith("restored: a later file of the approval was refused");
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
    }

    [Fact]
    public async Task AnExperimentChangedAfterTheApprovalWroteItIsNotRestoredAndTheErrorNamesIt()
    {
        // Arrange
        using var harness = SuggestionHarness.With(Files(), [new GoalCoverageStrategy()]);
        var suggestion = await FirstSuggestionAsync(harness);
        const string ByHand = "# rewritten by hand while the approval ran\n";
        var approver = ApproverThatChangesFilesAfterWritingTheExperiment(harness, async () =>
        {
            await File.WriteAllTextAsync(harness.File(ExperimentPath), ByHand);
            await File.WriteAllTextAsync(harness.File(GoalPath), EditedGoal);
        });

        // Act
        var approve = () => approver.ApproveAsync(suggestion.Id, "reviewer");

        // Assert
        var thrown = (await approve.Should().ThrowAsync<SuggestionConflictException>()).Which;
        thrown.InnerException.Should().BeOfType<SuggestionConflictException>().Which.Message.Should().Contain(GoalPath);
        thrown.Message.Should().Contain($"{ExperimentPath} was NOT restored (it changed after this approval wrote it, so it was left as it is)").And.NotContain("Rolled back");
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(ByHand, "a change made after the approval wrote the file is not overwritten");
        (await harness.Versions.ListAsync(ExperimentPath)).Should().HaveCount(2, "the refused restore records nothing");
    }

    [Fact]
    public async Task ProposesNothingWithoutAGoalFileOrWhenEveryRequirementIsCovered()
    {
        // Arrange
        using var noGoal = SuggestionHarness.With(Files(withGoal: false), [new GoalCoverageStrategy()]);
        var covered = Files();
        covered[GoalPath] = string.Join('\n', Goal.Split('\n').TakeWhile(l => !l.Contains("in-label-set", StringComparison.Ordinal))) + "\n";
        using var allCovered = SuggestionHarness.With(covered, [new GoalCoverageStrategy()]);

        // Act
        var none = await noGoal.Suggester.SuggestAsync((await noGoal.RunAsync("tickets")).Run.Id);
        var nothing = await allCovered.Suggester.SuggestAsync((await allCovered.RunAsync("tickets")).Run.Id);

        // Assert
        none.Created.Should().BeEmpty();
        nothing.Created.Should().BeEmpty();
        GoalLoader.Parse(allCovered.File(GoalPath), covered[GoalPath]).Requirements.Should().OnlyContain(r => r.IsCovered);
    }

    /// <summary>Runs the experiment and returns the first suggestion for its goal's uncovered requirements.</summary>
    private static async Task<Suggestion> FirstSuggestionAsync(SuggestionHarness harness)
    {
        var baseline = await harness.RunAsync("tickets");
        return (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created[0];
    }

    /// <summary>An approver whose version store calls <paramref name="change"/> once the approval has written the experiment file.</summary>
    private static SuggestionApprover ApproverThatChangesFilesAfterWritingTheExperiment(SuggestionHarness harness, Func<Task> change)
    {
        var versions = new InterceptingVersionStore(harness.Versions, async written =>
        {
            if (written.Path == ExperimentPath && written.SuggestionId is not null)
            {
                await change();
            }
        });
        return new SuggestionApprover(harness.Suggestions, versions, harness.Experiments, harness.Layout);
    }

    /// <summary>The real version store, with a callback after each recorded change (to change files between the writes of one approval).</summary>
    private sealed class InterceptingVersionStore(IFileVersionStore inner, Func<FileVersion, Task> afterChange) : IFileVersionStore
    {
        public async Task<FileVersionChange> RecordChangeAsync(FileVersion previous, FileVersion replacement, Func<CancellationToken, Task> apply, CancellationToken cancellationToken = default)
        {
            var change = await inner.RecordChangeAsync(previous, replacement, apply, cancellationToken);
            await afterChange(replacement);
            return change;
        }

        public Task<IReadOnlyList<FileVersion>> ListAsync(string path, CancellationToken cancellationToken = default) => inner.ListAsync(path, cancellationToken);

        public Task<FileVersion?> GetAsync(long id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);
    }
}
