using System.Collections.Concurrent;
using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Core.Tests.Running;

public sealed class ExperimentRunnerTests
{
    private readonly InMemoryDatasetStore _datasets = new();
    private readonly InMemoryRunStore _runs = new();

    [Fact]
    public async Task RunsEveryCaseScoresItAndStoresEachResult()
    {
        var dataset = await SaveDatasetAsync(20);
        var client = new FakeChatClient((messages, _) => Task.FromResult(AnswerEvenCasesRight(messages)));
        var runner = CreateRunner(client);

        var outcome = await runner.StartAsync(Experiment(), dataset);

        outcome.Run.Status.Should().Be(RunStatus.Completed);
        outcome.Summary.Results.Should().Be(20);
        outcome.Summary.Passed.Should().Be(10);
        outcome.Summary.Failed.Should().Be(10);
        outcome.Summary.Errored.Should().Be(0);
        outcome.Summary.Scorers.Should().ContainSingle().Which.PassRate.Should().Be(0.5);
        outcome.Evaluation.TargetsMet.Should().BeFalse("the target is 0.9 and the pass rate 0.5");
        _runs.Results(outcome.Run.Id).Select(r => r.CaseId).Should().Equal(Enumerable.Range(0, 20).Select(i => $"case-{i:D3}"));
        client.Calls.Should().Be(20);
    }

    [Fact]
    public async Task NeverExceedsTheConcurrencyBound()
    {
        var dataset = await SaveDatasetAsync(40);
        var client = new FakeChatClient(async (messages, token) =>
        {
            await Task.Delay(15, token);
            return "x";
        });
        var runner = CreateRunner(client);

        await runner.StartAsync(Experiment() with { Concurrency = 4 }, dataset);

        client.PeakConcurrency.Should().BeLessThanOrEqualTo(4);
        client.PeakConcurrency.Should().BeGreaterThan(1, "cases should run in parallel up to the bound");
    }

    [Fact]
    public async Task RecordsAFailingModelCallOnItsCaseAndGoesOn()
    {
        var dataset = await SaveDatasetAsync(10);
        var client = new FakeChatClient((messages, _) => messages[^1].Text.EndsWith('3')
            ? throw new TimeoutException("the model took too long")
            : Task.FromResult(AnswerEvenCasesRight(messages)));
        var runner = CreateRunner(client);

        var outcome = await runner.StartAsync(Experiment(), dataset);

        outcome.Run.Status.Should().Be(RunStatus.Completed);
        outcome.Summary.Results.Should().Be(10);
        outcome.Summary.Errored.Should().Be(1);
        outcome.Summary.ErrorKinds.Should().Equal(new Dictionary<string, int> { ["timeout"] = 1 });
        var errored = _runs.Results(outcome.Run.Id).Single(r => r.ErrorKind is not null);
        errored.CaseId.Should().Be("case-003");
        errored.ErrorMessage.Should().Contain("took too long");
        errored.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task AFailingScorerIsRecordedAsAnErrorAndDoesNotFailTheRun()
    {
        var dataset = await SaveDatasetAsync(5);
        var runner = CreateRunner(new FakeChatClient((messages, _) => Task.FromResult(AnswerEvenCasesRight(messages))));
        var experiment = Experiment() with
        {
            Scorers = [new ScorerDefinition("equals", "equals", null, null), new ScorerDefinition("boom", "throws", null, null)],
            Targets = new Dictionary<string, double>(),
        };

        var outcome = await runner.StartAsync(experiment, dataset);

        outcome.Run.Status.Should().Be(RunStatus.Completed);
        outcome.Summary.Results.Should().Be(5);
        var boom = outcome.Summary.Scorers.Single(s => s.Scorer == "boom");
        boom.Errors.Should().Be(5);
        boom.PassRate.Should().Be(0);
        _runs.Results(outcome.Run.Id).Should().OnlyContain(r => r.Scores.Single(s => s.Scorer == "boom").Error!.Contains("scorer exploded"));
        outcome.Summary.Scorers.Single(s => s.Scorer == "equals").Errors.Should().Be(0);
    }

    [Fact]
    public async Task RecordsATemplateErrorWhenACaseLacksAVariable()
    {
        var cases = new[]
        {
            new DatasetCase("a", JsonSerializer.SerializeToElement(new { text = "hello" }), JsonSerializer.SerializeToElement("hello"), null, null),
            new DatasetCase("b", JsonSerializer.SerializeToElement(new { other = "x" }), JsonSerializer.SerializeToElement("x"), null, null),
        };
        var dataset = await _datasets.SaveAsync("objects", cases, null);
        var runner = CreateRunner(new FakeChatClient((messages, _) => Task.FromResult(messages[^1].Text)));

        var outcome = await runner.StartAsync(Experiment() with { Prompt = new PromptDefinition(null, "{{input.text}}") }, dataset);

        var results = _runs.Results(outcome.Run.Id);
        results.Single(r => r.CaseId == "a").Passed.Should().BeTrue();
        var b = results.Single(r => r.CaseId == "b");
        b.ErrorKind.Should().Be("template");
        b.ErrorMessage.Should().Contain("input.text");
    }

    [Fact]
    public async Task ResumesAnInterruptedRunWithoutRepeatingCompletedCases()
    {
        var dataset = await SaveDatasetAsync(60);
        var calls = new ConcurrentQueue<string>();
        var client = new FakeChatClient(async (messages, token) =>
        {
            calls.Enqueue(messages[^1].Text);
            await Task.Delay(5, token);
            return AnswerEvenCasesRight(messages);
        });
        var runner = CreateRunner(client);
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress(p =>
        {
            if (p.Completed >= 20)
            {
                cancel.Cancel();
            }
        });

        var interrupted = await runner.StartAsync(Experiment() with { Concurrency = 4 }, dataset, progress: progress, cancellationToken: cancel.Token);

        interrupted.Run.Status.Should().Be(RunStatus.Interrupted);
        var storedBefore = _runs.Results(interrupted.Run.Id).Select(r => r.CaseId).ToHashSet();
        storedBefore.Count.Should().BeInRange(20, 59, "the run stopped part way and kept every finished case");
        calls.Clear();

        var resumed = await runner.ResumeAsync(interrupted.Run.Id);

        resumed.Run.Id.Should().Be(interrupted.Run.Id);
        resumed.Run.Status.Should().Be(RunStatus.Completed);
        resumed.Summary.Results.Should().Be(60);
        resumed.Summary.Passed.Should().Be(30);
        var resumedCases = calls.Select(text => text.Replace("message ", "case-", StringComparison.Ordinal)).ToList();
        resumedCases.Should().OnlyHaveUniqueItems();
        resumedCases.Should().NotIntersectWith(storedBefore, "completed cases are not run again");
        resumedCases.Count.Should().Be(60 - storedBefore.Count, "exactly the missing cases are run");
    }

    [Fact]
    public async Task RefusesToResumeARunAnotherExecutorHoldsAndResumesItOnceReleased()
    {
        var dataset = await SaveDatasetAsync(10);
        var client = new FakeChatClient((messages, _) => Task.FromResult(AnswerEvenCasesRight(messages)));
        var locks = Path.Combine(Path.GetTempPath(), "evalloop-run-locks-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runner = new ExperimentRunner(new FakeChatClientFactory(client), new FakeScorerFactory(), _datasets, _runs, _runs, runLock: new FileRunLock(locks));
            using var cancel = new CancellationTokenSource();
            var progress = new InlineProgress(p =>
            {
                if (p.Completed >= 3)
                {
                    cancel.Cancel();
                }
            });
            var interrupted = await runner.StartAsync(Experiment() with { Concurrency = 1 }, dataset, progress: progress, cancellationToken: cancel.Token);
            interrupted.Run.Status.Should().Be(RunStatus.Interrupted);
            var callsBefore = client.Calls;

            var other = new FileRunLock(locks).TryAcquire(interrupted.Run.Id);
            other.Should().NotBeNull("the run's own executor released it when it stopped");
            var busy = () => runner.ResumeAsync(interrupted.Run.Id);
            (await busy.Should().ThrowAsync<RunBusyException>()).Which.RunId.Should().Be(interrupted.Run.Id);
            client.Calls.Should().Be(callsBefore, "a refused resume calls no model");

            other!.Dispose();
            var resumed = await runner.ResumeAsync(interrupted.Run.Id);
            resumed.Run.Status.Should().Be(RunStatus.Completed);
            resumed.Summary.Results.Should().Be(10);
        }
        finally
        {
            Directory.Delete(locks, recursive: true);
        }
    }

    [Fact]
    public void AFileRunLockIsExclusivePerRunAndFreeAgainOnceReleased()
    {
        var locks = Path.Combine(Path.GetTempPath(), "evalloop-run-locks-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runLock = new FileRunLock(locks);
            var first = runLock.TryAcquire("20261130-010000-aaaaaa");
            first.Should().NotBeNull();
            new FileRunLock(locks).TryAcquire("20261130-010000-aaaaaa").Should().BeNull("a second open of the same lock file is refused");
            using (var otherRun = runLock.TryAcquire("20261130-010000-bbbbbb"))
            {
                otherRun.Should().NotBeNull("runs are locked independently");
            }

            first!.Dispose();
            using var again = runLock.TryAcquire("20261130-010000-aaaaaa");
            again.Should().NotBeNull();
            var traversal = () => runLock.TryAcquire("../escape");
            traversal.Should().Throw<ArgumentException>();
        }
        finally
        {
            Directory.Delete(locks, recursive: true);
        }
    }

    [Fact]
    public async Task ARunWhoseModelCannotBeCreatedIsStoredAsFailedNotLeftRunning()
    {
        var dataset = await SaveDatasetAsync(3);
        var runner = new ExperimentRunner(new ThrowingChatClientFactory(), new FakeScorerFactory(), _datasets, _runs, _runs);

        var start = () => runner.StartAsync(Experiment(), dataset);

        await start.Should().ThrowAsync<EvalLoop.Core.Models.ModelConfigurationException>();
        var stored = (await _runs.ListRunsAsync()).Should().ContainSingle().Subject;
        stored.Status.Should().Be(RunStatus.Failed);
        stored.Error.Should().Contain("OPENAI_API_KEY");
    }

    [Fact]
    public async Task ResumingACompletedRunRunsNothing()
    {
        var dataset = await SaveDatasetAsync(5);
        var client = new FakeChatClient((messages, _) => Task.FromResult(AnswerEvenCasesRight(messages)));
        var runner = CreateRunner(client);
        var first = await runner.StartAsync(Experiment(), dataset);

        var again = await runner.ResumeAsync(first.Run.Id);

        client.Calls.Should().Be(5);
        again.Summary.Results.Should().Be(5);
    }

    [Fact]
    public async Task RerunFailedRunsOnlyTheFailedOrErroredCasesIntoANewRun()
    {
        var dataset = await SaveDatasetAsync(10);
        var firstClient = new FakeChatClient((messages, _) => messages[^1].Text.EndsWith('1')
            ? throw new HttpRequestException("connection reset")
            : Task.FromResult(AnswerEvenCasesRight(messages)));
        var first = await CreateRunner(firstClient).StartAsync(Experiment(), dataset);
        first.Summary.Passed.Should().Be(5);

        var calls = new ConcurrentQueue<string>();
        var fixedClient = new FakeChatClient((messages, _) =>
        {
            calls.Enqueue(messages[^1].Text);
            return Task.FromResult(messages[^1].Text.Replace("message ", "label-", StringComparison.Ordinal));
        });
        var rerun = await CreateRunner(fixedClient).RerunFailedAsync(Experiment(), first.Run.Id);

        rerun.Run.Id.Should().NotBe(first.Run.Id);
        rerun.Run.Mode.Should().Be("rerun-failed");
        rerun.Run.ParentRunId.Should().Be(first.Run.Id);
        rerun.Run.DatasetVersion.Should().Be(first.Run.DatasetVersion);
        calls.Should().BeEquivalentTo(["message 001", "message 003", "message 005", "message 007", "message 009"]);
        rerun.Summary.Results.Should().Be(5);
        rerun.Summary.Passed.Should().Be(5);
        _runs.Results(first.Run.Id).Should().HaveCount(10, "the source run is left as it was");
    }

    [Fact]
    public async Task RunsEveryTrialOfEveryCase()
    {
        var dataset = await SaveDatasetAsync(4);
        var client = new FakeChatClient((messages, _) => Task.FromResult("x"));

        var experiment = Experiment() with { Trials = 3 };
        experiment = experiment with { Scorers = [.. experiment.Scorers, new ScorerDefinition("trial", "trial", null, null)] };

        var outcome = await CreateRunner(client).StartAsync(experiment, dataset);

        outcome.Run.PlannedResults.Should().Be(12);
        outcome.Summary.Results.Should().Be(12);
        var results = _runs.Results(outcome.Run.Id);
        results.Select(r => (r.CaseId, r.Trial)).Should().OnlyHaveUniqueItems();
        results.Should().AllSatisfy(r => r.Scores.Single(s => s.Scorer == "trial").Rationale.Should().Be($"trial {r.Trial}", "each scorer is told which trial it grades"));
    }

    [Fact]
    public async Task StreamsResultsToTheStoreInBatches()
    {
        var dataset = await SaveDatasetAsync(300);
        var client = new FakeChatClient((messages, _) => Task.FromResult("x"));

        await CreateRunner(client).StartAsync(Experiment() with { Concurrency = 8 }, dataset, new RunOptions { BatchSize = 50 });

        _runs.BatchSizes.Sum().Should().Be(300);
        _runs.BatchSizes.Should().OnlyContain(size => size <= 50);
        _runs.BatchSizes.Count.Should().BeLessThan(300, "results are grouped into transactions, not written one by one");
    }

    [Fact]
    public async Task MarksTheRunFailedAndStopsWhenResultsCannotBeStored()
    {
        var dataset = await SaveDatasetAsync(200);
        var client = new FakeChatClient(async (messages, token) =>
        {
            await Task.Delay(2, token);
            return "x";
        });
        _runs.OnAppend = _ => throw new IOException("disk full");

        var outcome = await CreateRunner(client).StartAsync(Experiment() with { Concurrency = 2 }, dataset, new RunOptions { BatchSize = 10 });

        outcome.Run.Status.Should().Be(RunStatus.Failed);
        outcome.Run.Error.Should().Contain("disk full");
        client.Calls.Should().BeLessThan(200, "dispatching stops once storage fails");
    }

    [Fact]
    public async Task RunsOnlyTheRequestedSplitAndLimit()
    {
        var cases = Enumerable.Range(0, 10).Select(i => Case(i) with { Split = i < 6 ? "test" : "train" }).ToList();
        var dataset = await _datasets.SaveAsync("split", cases, null);
        var client = new FakeChatClient((messages, _) => Task.FromResult("x"));

        var outcome = await CreateRunner(client).StartAsync(Experiment() with { Split = "test", Limit = 4 }, dataset);

        outcome.Summary.Results.Should().Be(4);
        _runs.Results(outcome.Run.Id).Select(r => r.CaseId).Should().Equal("case-000", "case-001", "case-002", "case-003");
    }

    [Fact]
    public async Task RecordsCacheHitsAndCostFromTheResponseAnnotations()
    {
        var dataset = await SaveDatasetAsync(2);
        var client = new AnnotatingClient();

        var outcome = await CreateRunner(client).StartAsync(Experiment(), dataset);

        outcome.Summary.CacheHits.Should().Be(2);
        outcome.Summary.Cost.Should().Be(0.25m);
    }

    private ExperimentRunner CreateRunner(IChatClient client) =>
        new(new FakeChatClientFactory(client), new FakeScorerFactory(), _datasets, _runs, _runs);

    private Task<DatasetVersion> SaveDatasetAsync(int count) =>
        _datasets.SaveAsync("numbers", Enumerable.Range(0, count).Select(Case).ToList(), null);

    private static DatasetCase Case(int i) => new(
        $"case-{i:D3}",
        JsonSerializer.SerializeToElement($"message {i:D3}"),
        JsonSerializer.SerializeToElement($"label-{i:D3}"),
        null,
        null);

    private static string AnswerEvenCasesRight(IReadOnlyList<ChatMessage> messages)
    {
        var number = int.Parse(messages[^1].Text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return number % 2 == 0 ? $"label-{number:D3}" : "wrong";
    }

    private static ExperimentDefinition Experiment() => new()
    {
        Name = "test-experiment",
        Dataset = "numbers",
        Prompt = new PromptDefinition("Answer with the label.", "{{input}}"),
        Model = new ModelSettings { Provider = ModelProviders.Offline, Name = "fake" },
        Scorers = [new ScorerDefinition("equals", "equals", null, null)],
        Targets = new Dictionary<string, double> { ["equals"] = 0.9 },
        Concurrency = 4,
    };

    private sealed class InlineProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    private sealed class AnnotatingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
            {
                AdditionalProperties = new() { [ChatResponseAnnotations.CacheHit] = true, [ChatResponseAnnotations.Cost] = 0.125m },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingChatClientFactory : EvalLoop.Core.Models.IChatClientFactory
    {
        public IChatClient Create(EvalLoop.Core.Models.ModelSettings settings, EvalLoop.Core.Models.ChatClientCreationOptions options) =>
            throw new EvalLoop.Core.Models.ModelConfigurationException("the environment variable OPENAI_API_KEY is not set");
    }
}
