using System.Runtime.CompilerServices;
using EvalLoop.Core.Runs;
using EvalLoop.TestUtilities.Builders;

namespace EvalLoop.Reporting.Tests;

public sealed class FailingStoreTests
{
    [Fact]
    public async Task AStoreThatFailsWhileTheResultsStreamMakesTheReportFailPromptlyInsteadOfHanging()
    {
        var (scenario, run) = await ScriptPayloadScenario.CreateAsync();
        var failing = new FailingResultStore(scenario.Runs, failAfter: 10);
        var generator = new HtmlReportGenerator(new ReportSources(scenario.Runs, failing, scenario.Datasets));
        using var stream = new MemoryStream();

        var act = () => generator.WriteRunReportAsync(run.Id, stream).WaitAsync(TimeSpan.FromSeconds(20));

        await act.Should().ThrowAsync<IOException>().WithMessage("disk gone");
    }

    [Fact]
    public async Task CancellationStopsTheReport()
    {
        var (scenario, run) = await ScriptPayloadScenario.CreateAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var stream = new MemoryStream();

        var act = () => ReportHarness.Generator(scenario).WriteRunReportAsync(run.Id, stream, cancelled.Token).WaitAsync(TimeSpan.FromSeconds(20));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed class FailingResultStore(IRunResultStore inner, int failAfter) : IRunResultStore
    {
        public Task AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default) => inner.AppendAsync(results, cancellationToken);

        public async IAsyncEnumerable<CaseResult> ReadAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var count = 0;
            await foreach (var result in inner.ReadAsync(runId, cancellationToken))
            {
                if (++count > failAfter)
                {
                    throw new IOException("disk gone");
                }

                yield return result;
            }
        }

        public Task<RunSummary> SummarizeAsync(string runId, CancellationToken cancellationToken = default) => inner.SummarizeAsync(runId, cancellationToken);
    }
}
