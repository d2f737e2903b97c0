using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Models.Offline;
using EvalLoop.Suggestions.Planning;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Tests;

/// <summary>The threshold strategy on a hand-built context: graded scores crowding the threshold.</summary>
public sealed class ThresholdBandStrategyTests
{
    [Fact]
    public async Task MovesAThresholdOutOfADenseBandOfScoresToTheMiddleOfTheWidestGap()
    {
        // Arrange: 20 scores, 8 of them within 0.05 of the threshold 0.7, and no score between 0.76 and 0.9.
        double[] scores = [0.66, 0.67, 0.68, 0.69, 0.71, 0.72, 0.73, 0.74, 0.9, 0.92, 0.95, 0.97, 1, 1, 0.2, 0.3, 0.1, 0.4, 0.5, 0.55];
        var context = Context(new ScorerDefinition("similar", "levenshtein", 0.7, null), scores);

        // Act
        var candidates = new List<SuggestionCandidate>();
        await foreach (var c in new ThresholdBandStrategy().ProposeAsync(context))
        {
            candidates.Add(c);
        }

        // Assert
        var candidate = candidates.Should().ContainSingle().Subject.Should().BeOfType<ScorerCandidate>().Subject;
        candidate.Proposed.Threshold.Should().Be(0.82, "the widest gap within ±0.15 of 0.7 is 0.74 to 0.9");
        candidate.ThresholdOnly.Should().BeTrue("re-scoring compares stored scores and never calls the scorer");
        candidate.Provenance.MotivatingCaseIds.Should().HaveCount(8);
    }

    [Fact]
    public async Task LeavesABinaryScorerAlone()
    {
        var context = Context(new ScorerDefinition("match", "exact-match", 1, null), Enumerable.Repeat(0.0, 10).Concat(Enumerable.Repeat(1.0, 10)).ToArray());
        await foreach (var _ in new ThresholdBandStrategy().ProposeAsync(context))
        {
            throw new InvalidOperationException("no candidate expected");
        }
    }

    private static SuggestionContext Context(ScorerDefinition scorer, double[] scores)
    {
        var cases = scores.Select((_, i) => new DatasetCase($"c{i}", JsonSerializer.SerializeToElement($"input {i}"), JsonSerializer.SerializeToElement("x"), null, "dev")).ToList();
        var run = new RunRecord { Id = "r", ExperimentName = "e", ExperimentJson = "{}", PromptVersion = "p", DatasetName = "d", DatasetVersion = "v", Provider = "offline", Model = "m", Status = RunStatus.Completed, StartedAt = DateTimeOffset.UnixEpoch };
        var analysed = cases.Select((c, i) =>
        {
            var result = new CaseResult { RunId = "r", CaseId = c.Id, Trial = 1, Output = "y", Scores = [new ScoreRecord(scorer.Name, scores[i], scores[i] >= scorer.Threshold, null, null)], Passed = scores[i] >= scorer.Threshold };
            return new AnalysedCase(c, result.Passed, "y", null, [result]);
        }).ToList();
        return new SuggestionContext
        {
            RequestedRun = run,
            AnalysisRun = run,
            Experiment = new ExperimentDefinition { Name = "e", Dataset = "d", Prompt = new PromptDefinition(null, "{{input}}"), Model = new ModelSettings { Provider = ModelProviders.Offline, Name = "m" }, Scorers = [scorer] },
            Dataset = new DatasetVersion("d", "v", cases.Count, new Dictionary<string, int>(), null, DateTimeOffset.UnixEpoch),
            Plan = new SplitPlan(null, "dev", null, cases, cases, [], []),
            AllCases = cases,
            Analysed = analysed,
            Clusters = [],
            Labels = LabelVocabulary.None,
            LeakingPoolCaseIds = new HashSet<string>(),
            PrimaryScorer = scorer.Name,
            Embeddings = new OfflineEmbeddingGenerator(),
            Options = new SuggesterOptions(),
        };
    }
}
