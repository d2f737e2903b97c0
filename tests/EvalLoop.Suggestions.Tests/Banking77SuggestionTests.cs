using System.Diagnostics;
using System.Globalization;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Verification;
using Xunit.Abstractions;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// One round of the loop on the shipped BANKING77 sample with the offline model, done once for the class: a baseline
/// run on the held-out test split, suggestions (analysed on half of dev, examples from train, verified on the other half
/// of dev), the best verified prompt suggestion approved, and the test split run again.
/// </summary>
public sealed class Banking77Round : IAsyncLifetime
{
    internal SuggestionHarness Harness { get; } = SuggestionHarness.Sample();

    public RunOutcomeFigures Before { get; private set; } = null!;

    public RunOutcomeFigures After { get; private set; } = null!;

    public List<Suggestion> Created { get; private set; } = [];

    public RunRecord AnalysisRun { get; private set; } = null!;

    public IReadOnlyList<string> Notes { get; private set; } = [];

    public Suggestion Approved { get; private set; } = null!;

    public PromptEvidence Evidence { get; private set; } = null!;

    public PromptChange Change { get; private set; } = null!;

    public TimeSpan SuggestTime { get; private set; }

    public LoopOutcome Loop { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var loop = new ImprovementLoop(Harness.Experiments, Harness.Snapshots, Harness.Runner, Harness.Suggester, Harness.Approver);
        var stopwatch = Stopwatch.StartNew();
        Loop = await loop.RunAsync(Harness.File("experiments/banking77-intents.yaml"), new LoopOptions { Rounds = 1, AutoApproveSignificant = true });
        SuggestTime = stopwatch.Elapsed;
        var round = Loop.Rounds.Single();
        var before = (await Harness.Runs.SummarizeAsync(round.BaselineRunId))!;
        var after = (await Harness.Runs.SummarizeAsync(round.AfterRunId!))!;
        Before = new RunOutcomeFigures(round.BaselineRunId, before.Passed, before.Results);
        After = new RunOutcomeFigures(round.AfterRunId!, after.Passed, after.Results);
        Approved = (await Harness.Suggestions.GetAsync(round.Approved.Single()))!;
        Evidence = SuggestionJson.Deserialize<PromptEvidence>(Approved.EvidenceJson!);
        Change = SuggestionJson.Deserialize<PromptChange>(Approved.ChangeJson);
        Created = [];
        foreach (var id in round.Suggestions)
        {
            Created.Add((await Harness.Suggestions.GetAsync(id))!);
        }

        AnalysisRun = (await Harness.Runs.GetRunAsync(Evidence.AnalysisRunId))!;
        Notes = round.Notes;
    }

    public Task DisposeAsync()
    {
        Harness.Dispose();
        return Task.CompletedTask;
    }

    public sealed record RunOutcomeFigures(string RunId, int Passed, int Results)
    {
        public double Accuracy => (double)Passed / Results;
    }
}

public sealed class Banking77SuggestionTests(Banking77Round round, ITestOutputHelper output) : IClassFixture<Banking77Round>
{
    [Fact]
    public void TheApprovedOfflineSuggestionRaisesHeldOutTestAccuracyByAtLeastFifteenPoints()
    {
        // Arrange
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"test accuracy {round.Before.Accuracy:P1} ({round.Before.Passed}/{round.Before.Results}) -> {round.After.Accuracy:P1} ({round.After.Passed}/{round.After.Results}); "
            + $"verification ({round.Evidence.VerificationSet}): {round.Evidence.BaselinePassRate:P1} -> {round.Evidence.CandidatePassRate:P1}, "
            + $"McNemar p = {round.Evidence.McNemar.PValue:G3} ({round.Evidence.McNemar.Fixed} fixed, {round.Evidence.McNemar.Broken} broken), "
            + $"score delta {round.Evidence.ScoreDelta.Mean:+0.000;-0.000} [{round.Evidence.ScoreDelta.Low:0.000}, {round.Evidence.ScoreDelta.High:0.000}]; "
            + $"strategy {round.Change.Strategy}: {round.Approved.Title}; the loop round took {round.SuggestTime.TotalSeconds:F1} s");
        output.WriteLine(report);

        // Assert
        round.Evidence.Verdict.Should().Be(Verdicts.Significant, report);
        round.Evidence.McNemar.PValue.Should().BeLessThan(0.05, report);
        round.After.Accuracy.Should().BeGreaterThanOrEqualTo(round.Before.Accuracy + 0.15, report);
    }

    [Fact]
    public async Task NoCaseThatMotivatedOrWentIntoTheSuggestionIsInItsVerificationAndTheTestSplitIsNeverSeen()
    {
        // Arrange
        var provenance = round.Change.Provenance.AllCaseIds();
        var verified = new List<string>();
        await foreach (var result in round.Harness.Runs.ReadAsync(round.Evidence.CandidateRunId))
        {
            verified.Add(result.CaseId);
        }

        var baseline = new List<string>();
        await foreach (var result in round.Harness.Runs.ReadAsync(round.Evidence.BaselineRunId))
        {
            baseline.Add(result.CaseId);
        }

        // Assert
        provenance.Should().NotBeEmpty();
        round.Change.Provenance.SourceCaseIds.Should().OnlyContain(id => id.StartsWith("b77-train-", StringComparison.Ordinal), "few-shot examples come from the train split only");
        round.Change.Provenance.MotivatingCaseIds.Should().OnlyContain(id => id.StartsWith("b77-dev-", StringComparison.Ordinal), "only the analysis half of dev is analysed");
        verified.Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith("b77-dev-", StringComparison.Ordinal));
        verified.Should().NotIntersectWith(provenance);
        baseline.Should().BeEquivalentTo(verified, "candidate and baseline are compared on the same cases");
        round.AnalysisRun.Split.Should().BeNull();
        round.AnalysisRun.Mode.Should().Be(RunModes.SuggestAnalysis);
        round.AnalysisRun.ParentRunId.Should().Be(round.Before.RunId);
        round.Approved.RunId.Should().Be(round.Before.RunId, "a suggestion belongs to the user's run it was asked for, so that run's report lists it");
        var analysed = new List<string>();
        await foreach (var result in round.Harness.Runs.ReadAsync(round.AnalysisRun.Id))
        {
            analysed.Add(result.CaseId);
        }

        analysed.Should().OnlyContain(id => id.StartsWith("b77-dev-", StringComparison.Ordinal)).And.NotIntersectWith(verified, "the suggester never sees the verification half");
    }

    [Fact]
    public async Task ApprovalWritesANewPromptVersionAndKeepsThePreviousFileInTheHistory()
    {
        // Arrange
        var path = round.Harness.File("experiments/banking77-intents.yaml");
        var versions = await round.Harness.Versions.ListAsync("experiments/banking77-intents.yaml");
        var history = new List<SuggestionEvent>();
        await foreach (var e in round.Harness.Suggestions.ReadHistoryAsync(round.Approved.Id))
        {
            history.Add(e);
        }

        var rerun = (await round.Harness.Runs.GetRunAsync(round.After.RunId))!;

        // Assert
        round.Approved.Status.Should().Be(SuggestionStatus.Approved);
        round.Approved.ResultingVersion.Should().Be(round.Change.ProposedPromptVersion);
        rerun.PromptVersion.Should().Be(round.Change.ProposedPromptVersion, "the re-run uses the approved prompt version");
        versions.Should().HaveCount(2);
        versions[0].SuggestionId.Should().Be(round.Approved.Id);
        versions[0].Content.Should().Be(await File.ReadAllTextAsync(path));
        versions[1].Content.Should().Be(await File.ReadAllTextAsync(Path.Combine(SuggestionHarness.RepositoryRoot, "experiments/banking77-intents.yaml")), "the previous file is kept whole");
        versions[0].PreviousId.Should().Be(versions[1].Id);
        history.Select(e => e.ToStatus).Should().Equal(SuggestionStatus.Pending, SuggestionStatus.Approved);
        history[1].Snapshot.DecidedBy.Should().Be(ImprovementLoop.AutoApprover);
    }

    [Fact]
    public void EvidenceReportsTheFixedAndBrokenCasesPerClusterDeltasAndUsage()
    {
        // Assert
        var e = round.Evidence;
        e.FixedCaseIds.Should().HaveCount(e.McNemar.Fixed);
        e.BrokenCaseIds.Should().HaveCount(e.McNemar.Broken);
        e.Clusters.Should().NotBeEmpty();
        e.Regressions.Should().HaveCount(e.Clusters.Count(c => c.Regressed));
        e.Usage.CandidateInputTokens.Should().BeGreaterThan(e.Usage.BaselineInputTokens, "examples make the prompt longer");
        e.ScoreDelta.Low.Should().BeGreaterThan(0);
        output.WriteLine(string.Join("\n", e.Alternatives.Select(a => string.Create(CultureInfo.InvariantCulture, $"alternative {a.Strategy}: {a.Title}: delta {a.Delta:+0.000;-0.000} p={a.PValue:G3} {a.Verdict}"))));
        output.WriteLine(string.Join("\n", e.Clusters.Select(c => string.Create(CultureInfo.InvariantCulture, $"cluster {c.Name}: {c.Cases} cases {c.Baseline:P0} -> {c.Candidate:P0}{(c.Regressed ? " REGRESSED" : string.Empty)}"))));
        output.WriteLine(string.Join("\n", round.Created.Select(s => $"{s.Kind}: {s.Title}")));
        output.WriteLine(string.Join("\n", round.Notes));
    }
}
