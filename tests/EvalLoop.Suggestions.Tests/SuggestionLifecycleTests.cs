using EvalLoop.Core.Workspace;
using System.Runtime.CompilerServices;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// What happens to a suggestion between suggest runs and in the loop: a stale one is superseded and proposed afresh, a
/// rejected change stays blocked, runners-up come back once the winner is rejected, the loop skips an approval that no
/// longer applies and measures on the held-out split, and scorer suggestions re-score without running the model.
/// </summary>
public sealed class SuggestionLifecycleTests
{
    private const string LabelList = "Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n";
    private const string ExperimentPath = "experiments/tickets.yaml";

    [Fact]
    public async Task APendingSuggestionWhoseFileChangedIsSupersededAndItsChangeProposedAfreshOnTheCurrentFile()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var stale = (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created.Single();
        var edited = await File.ReadAllTextAsync(harness.File(ExperimentPath)) + "# a comment someone added by hand\n";
        await File.WriteAllTextAsync(harness.File(ExperimentPath), edited);

        // Act
        var again = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var superseded = (await harness.Suggestions.GetAsync(stale.Id))!;
        superseded.Status.Should().Be(SuggestionStatus.Superseded);
        superseded.DecisionReason.Should().Contain(ExperimentPath).And.Contain("changed since");
        again.Superseded.Should().ContainSingle().Which.Id.Should().Be(stale.Id);
        again.AlreadyProposed.Should().BeEmpty("a stale suggestion must not stand in for its change");
        var fresh = again.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<PromptChange>(fresh.ChangeJson);
        change.Fingerprint.Should().Be(SuggestionJson.Deserialize<PromptChange>(stale.ChangeJson).Fingerprint, "it is the same change");
        change.BaseFileSha256.Should().Be(FileContentHash.Compute(edited));
        var approved = await harness.Approver.ApproveAsync(fresh.Id, "reviewer");
        approved.Suggestion.Status.Should().Be(SuggestionStatus.Approved, "the re-proposed change applies to the current file");
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Contain("# a comment someone added by hand");
    }

    [Fact]
    public async Task ARejectedChangeStaysBlockedAfterItsFileChanged()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var suggestion = (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created.Single();
        await harness.Approver.RejectAsync(suggestion.Id, "reviewer", "examples cost too many tokens");
        await File.AppendAllTextAsync(harness.File(ExperimentPath), "# edited after the rejection\n");

        // Act
        var again = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var rejectedFingerprint = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson).Fingerprint;
        again.Created.Select(s => SuggestionJson.Deserialize<PromptChange>(s.ChangeJson).Fingerprint).Should().NotContain(rejectedFingerprint, "the same change was rejected; a new base does not make it a new form");
        again.Superseded.Should().BeEmpty();
        again.AlreadyProposed.Should().ContainSingle().Which.Id.Should().Be(suggestion.Id);
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Rejected);
    }

    [Fact]
    public async Task ARunnerUpIsProposedAgainOnceTheWinnerIsRejected()
    {
        // Arrange: two prompt candidates verified together; only the better one is stored.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new TwoVariantsStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var first = await harness.Suggester.SuggestAsync(baseline.Run.Id);
        var winner = first.Created.Should().ContainSingle().Subject;
        var runnersUp = SuggestionJson.Deserialize<PromptEvidence>(winner.EvidenceJson!).Alternatives.Select(a => a.Fingerprint).ToList();
        runnersUp.Should().NotBeEmpty();
        var whilePending = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Act
        await harness.Approver.RejectAsync(winner.Id, "reviewer", "not this one");
        var again = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        whilePending.Created.Should().BeEmpty("while the winner is pending the runner-up it beat is not proposed");
        var proposed = again.Created.Should().ContainSingle().Subject;
        runnersUp.Should().Contain(SuggestionJson.Deserialize<PromptChange>(proposed.ChangeJson).Fingerprint, "the best of the runners-up is stored now");
        again.AlreadyProposed.Should().ContainSingle().Which.Id.Should().Be(winner.Id, "the rejected winner stays blocked");
    }

    [Fact]
    public async Task TheLoopRecordsAnApprovalThatNoLongerAppliesAndMovesOnInsteadOfAborting()
    {
        // Arrange: the experiment file changes between the suggestion and its automatic approval.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new TwoVariantsStrategy()]);
        var loop = new ImprovementLoop(harness.Experiments, harness.Snapshots, harness.Runner, harness.Suggester, harness.Approver);
        var edits = 0;
        var progress = new SyncProgress<LoopProgress>(p =>
        {
            if (p.Stage == "approve" && edits++ == 0)
            {
                File.AppendAllText(harness.File(ExperimentPath), "# edited while the loop ran\n");
            }
        });

        // Act
        var outcome = await loop.RunAsync(harness.File(ExperimentPath), new LoopOptions { AutoApproveSignificant = true }, progress);

        // Assert
        var round = outcome.Rounds.Should().ContainSingle().Subject;
        var skip = round.Skipped.Should().ContainSingle().Subject;
        skip.Reason.Should().Contain(ExperimentPath).And.Contain("changed since");
        round.Approved.Should().BeEmpty("every candidate rests on the file that changed");
        round.AfterRunId.Should().BeNull();
        (await harness.Suggestions.GetAsync(skip.SuggestionId))!.Status.Should().Be(SuggestionStatus.Pending, "nothing was written for it");
    }

    [Fact]
    public async Task TheLoopSkipsASuggestionSomeoneElseDecidedFirstInsteadOfAborting()
    {
        // Arrange: a reviewer rejects the candidate just before the loop approves it.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new TwoVariantsStrategy()]);
        var loop = new ImprovementLoop(harness.Experiments, harness.Snapshots, harness.Runner, harness.Suggester, harness.Approver);
        string? rejected = null;
        var progress = new SyncProgress<LoopProgress>(p =>
        {
            if (p.Stage == "approve" && rejected is null)
            {
                rejected = p.Message.Split(' ')[3];
                harness.Approver.RejectAsync(rejected, "reviewer", "not this one").GetAwaiter().GetResult();
            }
        });

        // Act
        var outcome = await loop.RunAsync(harness.File(ExperimentPath), new LoopOptions { AutoApproveSignificant = true }, progress);

        // Assert
        var round = outcome.Rounds.Should().ContainSingle().Subject;
        var skip = round.Skipped.Should().ContainSingle().Subject;
        skip.SuggestionId.Should().Be(rejected);
        skip.Reason.Should().Contain("rejected");
        round.Approved.Should().NotContain(rejected!);
        (await harness.Suggestions.GetAsync(rejected!))!.DecidedBy.Should().Be("reviewer");
    }

    [Fact]
    public async Task TheLoopMeasuresBeforeAndAfterOnTheHeldOutSplitWhateverSplitTheExperimentNames()
    {
        // Arrange: the experiment runs on dev, which the suggester analyses and verifies on.
        var files = TicketsWorkspace.Files(LabelList);
        files[ExperimentPath] = files[ExperimentPath].Replace("split: test", "split: dev", StringComparison.Ordinal);
        using var harness = SuggestionHarness.With(files, [new FewShotExamplesStrategy()]);
        var loop = new ImprovementLoop(harness.Experiments, harness.Snapshots, harness.Runner, harness.Suggester, harness.Approver);
        var testCases = TicketsWorkspace.Cases().Where(c => c.Split == "test").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        // Act
        var outcome = await loop.RunAsync(harness.File(ExperimentPath), new LoopOptions { AutoApproveSignificant = true });

        // Assert
        var round = outcome.Rounds.Should().ContainSingle().Subject;
        round.HeldOutSplit.Should().Be("test");
        round.Approved.Should().ContainSingle();
        foreach (var runId in new[] { round.BaselineRunId, round.AfterRunId! })
        {
            (await harness.Runs.GetRunAsync(runId))!.Split.Should().Be("test");
            var ids = new List<string>();
            await foreach (var result in harness.Runs.ReadAsync(runId))
            {
                ids.Add(result.CaseId);
            }

            ids.Should().BeEquivalentTo(testCases, "before and after are the held-out cases, none of which the suggester saw");
        }

        var summary = (await harness.Runs.SummarizeAsync(round.AfterRunId!))!;
        round.AfterScore.Should().Be(summary.Scorers.Single(s => s.Scorer == "label-match").Mean);
    }

    [Fact]
    public async Task TheLoopRefusesADatasetWithoutAHeldOutSplit()
    {
        // Arrange: no test split, so the experiment's own split is the only measure and the suggester works on it.
        var cases = TicketsWorkspace.Cases().Where(c => c.Split != "test").ToList();
        var files = TicketsWorkspace.Files(LabelList, cases);
        files[ExperimentPath] = files[ExperimentPath].Replace("split: test", "split: dev", StringComparison.Ordinal);
        using var harness = SuggestionHarness.With(files, [new FewShotExamplesStrategy()]);
        var loop = new ImprovementLoop(harness.Experiments, harness.Snapshots, harness.Runner, harness.Suggester, harness.Approver);

        // Act
        var run = () => loop.RunAsync(harness.File(ExperimentPath), new LoopOptions { AutoApproveSignificant = true });

        // Assert
        var refusal = (await run.Should().ThrowAsync<WorkspaceFileException>("a dataset that cannot support the loop is bad input, not a fault")).Which;
        refusal.Message.Should().Contain("held-out split").And.Contain("'test'");
        refusal.Field.Should().Be("dataset");
        refusal.FilePath.Should().EndWith("tickets.yaml");
        (await harness.Runs.ListRunsAsync("tickets", 10)).Should().BeEmpty("nothing is run before the refusal");
    }

    [Fact]
    public async Task AScorerOnlySuggestionRunsNoModelBeyondTheAnalysisRun()
    {
        // Arrange: capitalised answers under a case-sensitive exact match, and only the normalised-match strategy.
        const string capitalised = "Classify the support ticket. Answer with exactly one of:\n- Billing\n- Bug\n- Feature_request\n";
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(capitalised, scorers: "[exact-match]"), [new NormalizedMatchStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var callsBefore = harness.ModelCalls;

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().ContainSingle().Which.Kind.Should().Be(SuggestionKinds.Scorer);
        (harness.ModelCalls - callsBefore).Should().Be(outcome.Plan.Analysis.Count, "the analysis run is the only model run; re-scoring calls nothing and starts no verification baseline");
        var runs = await harness.Runs.ListRunsAsync("tickets" + RunModes.SuggesterNameSuffix, 100);
        runs.Should().NotContain(r => r.Mode == RunModes.VerifyBaseline);

        // A second suggest on the same run reuses the analysis run: no model call at all.
        var callsAfterFirst = harness.ModelCalls;
        await harness.Suggester.SuggestAsync(baseline.Run.Id);
        harness.ModelCalls.Should().Be(callsAfterFirst);
    }

    [Fact]
    public void ACandidateThatRegressesAClusterRanksBelowOnesThatDoNot()
    {
        // Arrange
        var candidates = new[]
        {
            Evidence("significant, largest gain, one cluster down 5 points", Verdicts.Significant, 0.30, regresses: true),
            Evidence("significant, clean", Verdicts.Significant, 0.20, regresses: false),
            Evidence("not significant, clean", Verdicts.NotSignificant, 0.05, regresses: false),
            Evidence("worse overall", Verdicts.Regression, -0.10, regresses: false),
        };

        // Act
        var ranked = VerificationRound.Ranked(candidates, e => e).Select(e => e.Notes[0]).ToList();

        // Assert
        ranked.Should().Equal("significant, clean", "not significant, clean", "significant, largest gain, one cluster down 5 points", "worse overall");
    }

    private static PromptEvidence Evidence(string name, string verdict, double delta, bool regresses) => new()
    {
        Verdict = verdict,
        RequestedRunId = "r",
        AnalysisRunId = "a",
        BaselineRunId = "b",
        CandidateRunId = "c-" + name,
        VerificationSet = "dev, verification half",
        VerificationCases = 100,
        Scorer = "label-match",
        SignificanceLevel = 0.05,
        BaselinePassRate = 0.5,
        CandidatePassRate = 0.5 + delta,
        Delta = delta,
        McNemar = new Core.Statistics.McNemarResult(10, 2, 0.01, "exact", null),
        ScoreDelta = new Core.Statistics.BootstrapResult(delta, delta - 0.1, delta + 0.1, 100, 0.95, 1000),
        Regressions = regresses ? ["'card payments' regresses by 5.0 points on its 20 verification cases"] : [],
        Usage = new UsageDelta(100, 200, 1, 1, 0, 0, 1, 1, 0, 0),
        Notes = [name],
    };

    /// <summary>The few-shot candidate and a variant of it with one more instruction: two prompt candidates to rank.</summary>
    private sealed class TwoVariantsStrategy : ISuggestionStrategy
    {
        public string Name => "two-variants";

        public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var candidate in new FewShotExamplesStrategy().ProposeAsync(context, cancellationToken))
            {
                if (candidate is PromptCandidate prompt)
                {
                    yield return prompt;
                    yield return prompt with
                    {
                        Title = prompt.Title + " (and be brief)",
                        Proposed = prompt.Proposed with { System = prompt.Proposed.System + "\nBe brief.\n" },
                    };
                }
            }
        }
    }

    /// <summary>Reports on the caller's thread, so a test can act at an exact stage.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
