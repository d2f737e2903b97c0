using System.Diagnostics;
using System.Globalization;
using EvalLoop.Models.Offline;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace EvalLoop.Models.Tests.Offline;

/// <summary>The offline model on real data nobody on the team wrote: the shipped BANKING77 sample.</summary>
public sealed class OfflineChatClientBanking77Tests(ITestOutputHelper output)
{
    private const int ExamplesPerIntent = 5;

    private static readonly Lazy<Banking77Sample> Sample = new(Banking77Sample.Load);

    [Fact]
    public async Task FewShotExamplesFromTheTrainSplitRaiseAccuracyClearlyOverTheLabelListAlone()
    {
        // Arrange
        var sample = Sample.Value;
        var labelsOnly = sample.SystemPrompt([]);
        var fewShot = sample.SystemPrompt(sample.FewShotExamples(ExamplesPerIntent));
        using var client = new OfflineChatClient();

        // Act
        var devBaseline = await AccuracyAsync(client, labelsOnly, sample.Split("dev"));
        var devFewShot = await AccuracyAsync(client, fewShot, sample.Split("dev"));
        var testBaseline = await AccuracyAsync(client, labelsOnly, sample.Split("test"));
        var testFewShot = await AccuracyAsync(client, fewShot, sample.Split("test"));

        // Assert
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"labels only: dev {devBaseline:P1}, test {testBaseline:P1}; with {ExamplesPerIntent} examples per intent: dev {devFewShot:P1}, test {testFewShot:P1}");
        output.WriteLine(report);
        devFewShot.Should().BeGreaterThanOrEqualTo(devBaseline + 0.15, report);
        testFewShot.Should().BeGreaterThanOrEqualTo(testBaseline + 0.15, report);
    }

    private static async Task<double> AccuracyAsync(OfflineChatClient client, ChatMessage system, IEnumerable<Banking77Case> cases)
    {
        var correct = 0;
        var total = 0;
        foreach (var testCase in cases)
        {
            var response = await client.GetResponseAsync([system, new ChatMessage(ChatRole.User, testCase.Input)]);
            total++;
            if (response.Text == testCase.Expected)
            {
                correct++;
            }
        }

        return (double)correct / total;
    }
}
