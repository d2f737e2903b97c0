using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Core.Tests.Running;

/// <summary>What the runner does with what scorers report: judge usage kept per score, statistics in the outcome.</summary>
public sealed class ExperimentRunnerScoringTests
{
    private readonly InMemoryDatasetStore _datasets = new();
    private readonly InMemoryRunStore _runs = new();

    [Fact]
    public async Task KeepsEachVerdictsJudgeUsageAndSummarisesItApartFromTheTaskWithIntervalsAndTrialVariance()
    {
        // Arrange: a judge-like scorer that scores 1 on the first trial and 0 on the second for odd cases.
        var dataset = await _datasets.SaveAsync("n", Enumerable.Range(0, 6).Select(i => new DatasetCase(
            $"c{i}", JsonSerializer.SerializeToElement($"m{i}"), JsonSerializer.SerializeToElement("x"), null, null)).ToList(), null);
        var calls = 0;
        var scorer = new JudgeLikeScorer(() => Interlocked.Increment(ref calls));
        var runner = new ExperimentRunner(new FakeChatClientFactory(new FakeChatClient((_, _) => Task.FromResult("x"))), new SingleScorerFactory(scorer), _datasets, _runs, _runs);
        var experiment = new ExperimentDefinition
        {
            Name = "e",
            Dataset = "n",
            Prompt = new PromptDefinition(null, "{{input}}"),
            Model = new ModelSettings { Provider = ModelProviders.Offline, Name = "fake" },
            Scorers = [new ScorerDefinition("judge", "judge", null, null)],
            Concurrency = 1,
            Trials = 2,
        };

        // Act
        var outcome = await runner.StartAsync(experiment, dataset);

        // Assert
        _runs.Results(outcome.Run.Id).SelectMany(r => r.Scores).Should().OnlyContain(s => s.Judge == new JudgeUsage(50, 5, 0.01m, false));
        outcome.Summary.JudgeCalls.Should().Be(12);
        outcome.Summary.JudgeInputTokens.Should().Be(600);
        outcome.Summary.JudgeCost.Should().Be(0.12m);
        var figures = outcome.Summary.Scorers.Single();
        figures.MeanInterval.Should().NotBeNull();
        figures.UnstableCaseCount.Should().Be(3);
        outcome.Summary.UnstableCases.Select(u => u.CaseId).Should().Equal("c1", "c3", "c5");
    }

    private sealed class JudgeLikeScorer(Func<int> count) : IScorer
    {
        public ScorerDefinition Definition { get; } = new("judge", "judge", null, null);

        public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
        {
            count();
            var odd = int.Parse(input.Case.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1;
            var trialOne = !_seen.Add(input.Case.Id);
            var score = odd && trialOne ? 0 : 1;
            return ValueTask.FromResult(ScoreResult.FromScore(score, 0.5, "judged") with { Judge = new JudgeUsage(50, 5, 0.01m) });
        }

        private readonly HashSet<string> _seen = [];
    }

    private sealed class SingleScorerFactory(IScorer scorer) : IScorerFactory
    {
        public IReadOnlyCollection<string> KnownTypes { get; } = ["judge"];

        public IScorer Create(ScorerDefinition definition) => scorer;
    }
}
