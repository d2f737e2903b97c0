using System.Text.Json;

namespace EvalLoop.EndToEnd.Tests;

/// <summary><c>evalloop goal new/approve/show/list</c> through the real <c>./evalloop</c> script, offline.</summary>
[Collection("cli")]
public sealed class CliGoalTests
{
    [Fact]
    public async Task DraftsAGoalAsAPendingSuggestionApprovesItRunsItsExperimentAndShowsItsStatus()
    {
        // Arrange
        using var workspace = CliProcess.CopySampleWorkspace();
        WriteMiniDataset(workspace, cases: 12);

        // Act: the sample goal before any run, then a draft
        var list = await CliProcess.RunAsync(workspace.Path, "goal", "list", "--json");
        var draft = await CliProcess.RunAsync(workspace.Path, "goal", "new", "mini-routing", "Route each ticket to the right label; accuracy >= 0.5; never leak secrets", "--dataset", "mini", "--json");

        // Assert
        list.ExitCode.Should().Be(0, list.ToString());
        using (var listJson = JsonDocument.Parse(list.Stdout))
        {
            var sample = listJson.RootElement.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "banking77-routing");
            sample.GetProperty("status").GetString().Should().Be("not-run");
            sample.GetProperty("requirements").EnumerateArray().Should().Contain(r => !r.GetProperty("covered").GetBoolean());
        }

        draft.ExitCode.Should().Be(0, draft.ToString());
        using var draftJson = JsonDocument.Parse(draft.Stdout);
        var id = draftJson.RootElement.GetProperty("suggestion_id").GetString()!;
        draftJson.RootElement.GetProperty("status").GetString().Should().Be("pending");
        draftJson.RootElement.GetProperty("uncovered").EnumerateArray().Select(u => u.GetString()).Should().Equal("never-leak-secrets");
        draftJson.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString())
            .Should().Equal("experiments/goals/mini-routing.yaml", "scorers/mini-routing-labels.yaml", "experiments/mini-routing.yaml");
        File.Exists(workspace.File("experiments/goals/mini-routing.yaml")).Should().BeFalse("nothing is written before approval");

        // Act: approve through the common path (goal approve is its alias), run, show
        var approve = await CliProcess.RunAsync(workspace.Path, "suggestions", "approve", id, "--by", "tester");
        approve.ExitCode.Should().Be(0, approve.ToString());
        approve.Stdout.Should().Contain("experiments/goals/mini-routing.yaml").And.Contain("scorers/mini-routing-labels.yaml").And.Contain("evalloop goal show mini-routing");
        File.Exists(workspace.File("experiments/goals/mini-routing.yaml")).Should().BeTrue();
        var again = await CliProcess.RunAsync(workspace.Path, "goal", "approve", id, "--by", "tester");
        again.ExitCode.Should().Be(2, again.ToString());
        again.Stderr.Should().Contain("already approved");
        var versions = await CliProcess.RunAsync(workspace.Path, "versions", "list", "experiments/goals/mini-routing.yaml", "--json");
        versions.ExitCode.Should().Be(0, versions.ToString());
        versions.Stdout.Should().Contain(id, "the goal file's version records the approved suggestion");
        var run = await CliProcess.RunAsync(workspace.Path, "run", "mini-routing", "--json");
        run.ExitCode.Should().BeOneOf([0, 1], run.ToString());
        var show = await CliProcess.RunAsync(workspace.Path, "goal", "show", "mini-routing", "--json");
        var text = await CliProcess.RunAsync(workspace.Path, "goal", "show", "mini-routing");

        // Assert
        show.ExitCode.Should().Be(0, show.ToString());
        using var showJson = JsonDocument.Parse(show.Stdout);
        var requirements = showJson.RootElement.GetProperty("requirements").EnumerateArray().ToList();
        var accuracy = requirements.Single(r => r.GetProperty("target").ValueKind == JsonValueKind.Number);
        accuracy.GetProperty("status").GetString().Should().BeOneOf("met", "missed");
        accuracy.GetProperty("coverage")[0].GetProperty("scorer").GetString().Should().Be("exact-match");
        accuracy.GetProperty("coverage")[0].GetProperty("pass_rate").GetDouble().Should().BeInRange(0, 1);
        requirements.Single(r => r.GetProperty("id").GetString() == "never-leak-secrets").GetProperty("status").GetString().Should().Be("uncovered");
        showJson.RootElement.GetProperty("problems").GetArrayLength().Should().Be(0, show.Stdout);
        text.ExitCode.Should().Be(0, text.ToString());
        text.Stdout.Should().Contain("UNCOVERED").And.Contain("overall:");
    }

    [Fact]
    public async Task ApprovingAGoalDraftWithRerunRunsTheDraftedExperimentAsTheServiceDoes()
    {
        // Arrange
        using var workspace = CliProcess.CopySampleWorkspace();
        WriteMiniDataset(workspace, cases: 6);
        var draft = await CliProcess.RunAsync(workspace.Path, "goal", "new", "mini-routing", "Route each ticket to the right label; accuracy >= 0.5", "--dataset", "mini", "--json");
        draft.ExitCode.Should().Be(0, draft.ToString());
        using var draftJson = JsonDocument.Parse(draft.Stdout);
        var id = draftJson.RootElement.GetProperty("suggestion_id").GetString()!;

        // Act
        var approve = await CliProcess.RunAsync(workspace.Path, "suggestions", "approve", id, "--by", "tester", "--rerun");
        var runs = await CliProcess.RunAsync(workspace.Path, "runs", "list", "--json");

        // Assert
        approve.ExitCode.Should().Be(0, approve.ToString());
        approve.Stdout.Should().Contain("experiments/mini-routing.yaml").And.NotContain("does not apply");
        runs.ExitCode.Should().Be(0, runs.ToString());
        using var runsJson = JsonDocument.Parse(runs.Stdout);
        runsJson.RootElement.EnumerateArray().Should().ContainSingle(r => r.GetProperty("experiment").GetString() == "mini-routing", "the drafted experiment ran once");
    }

    /// <summary>A small three-label ticket dataset, <c>datasets/mini.jsonl</c>.</summary>
    private static void WriteMiniDataset(TempWorkspace workspace, int cases)
    {
        string[] labels = ["billing", "bug", "other"];
        workspace.Write("datasets/mini.jsonl", string.Concat(Enumerable.Range(0, cases).Select(i =>
            $$"""{"id": "m{{i}}", "input": "ticket about {{labels[i % 3]}} number {{i}}", "expected": "{{labels[i % 3]}}"}""" + "\n")));
    }
}
