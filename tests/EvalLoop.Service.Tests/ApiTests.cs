using EvalLoop.Core.Runs;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EvalLoop.Service.Tests;

public sealed class ApiTests
{
    [Fact]
    public async Task TriggersARunThatShowsUpInTheRunsListWithItsReport()
    {
        await using var host = await ServiceHost.StartAsync();

        var runId = await host.RunAsync();

        var run = await host.GetJsonAsync($"/api/runs/{runId}");
        run["run"]!["status"]!.GetValue<string>().Should().Be("completed");
        run["run"]!["experiment_name"]!.GetValue<string>().Should().Be(ServiceHost.Experiment);
        run["summary"]!["results"]!.GetValue<int>().Should().Be(6);
        var report = await host.Client.GetAsync(run["report"]!.GetValue<string>());
        report.StatusCode.Should().Be(HttpStatusCode.OK);
        (await report.Content.ReadAsStringAsync()).Should().Contain(runId);
        var experiments = (await host.GetJsonAsync("/api/experiments")).AsArray();
        experiments.Should().ContainSingle().Which!["latest_run_id"]!.GetValue<string>().Should().Be(runId);
    }

    [Fact]
    public async Task HidesGoalDraftAndVerificationRunsFromTheRunsListAndTheLatestRunUnlessAllAreAskedFor()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var (draftRunId, verifyRunId) = await host.SaveInternalRunsAsync(runId);

        // Act
        var listed = RunIds(await host.GetJsonAsync("/api/runs"));
        var ofExperiment = RunIds(await host.GetJsonAsync($"/api/runs?experiment={ServiceHost.Experiment}"));
        var all = RunIds(await host.GetJsonAsync("/api/runs?all=true"));
        var allOfExperiment = RunIds(await host.GetJsonAsync($"/api/runs?experiment={ServiceHost.Experiment}&all=true"));
        var experiments = (await host.GetJsonAsync("/api/experiments")).AsArray();

        // Assert
        listed.Should().Equal(runId);
        ofExperiment.Should().Equal(runId);
        all.Should().BeEquivalentTo([verifyRunId, runId, draftRunId]);
        allOfExperiment.Should().Equal(verifyRunId, runId);
        experiments.Should().ContainSingle().Which!["latest_run_id"]!.GetValue<string>().Should().Be(runId, "a newer internal run of the experiment is not its latest run");
        foreach (var id in all)
        {
            // Every listed run opens, including the goal draft's record, which ran no experiment and so has no targets.
            var detail = await host.Client.GetAsync($"/api/runs/{id}");
            detail.StatusCode.Should().Be(HttpStatusCode.OK, id);
        }

        var draft = await host.GetJsonAsync($"/api/runs/{draftRunId}");
        draft["targets"]!.AsArray().Should().BeEmpty();
        draft["targets_met"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task ANewerRerunOfTheFailedCasesIsListedButIsNotTheExperimentsLatestRun()
    {
        // A rerun-failed run holds only the cases that failed before: its pass rate says nothing about the targets.
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var full = await host.Services.Runs.GetRunAsync(runId);
        await host.Services.Runs.SaveRunAsync(full! with
        {
            Id = runId + "-rerun",
            Mode = RunModes.RerunFailed,
            ParentRunId = runId,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(1),
            FinishedAt = DateTimeOffset.UtcNow.AddMinutes(2),
        });

        var listed = RunIds(await host.GetJsonAsync("/api/runs"));
        var experiments = (await host.GetJsonAsync("/api/experiments")).AsArray();

        listed.Should().Equal(runId + "-rerun", runId);
        experiments.Should().ContainSingle().Which!["latest_run_id"]!.GetValue<string>().Should().Be(runId);
    }

    [Fact]
    public async Task ApprovesOnceAndAnswersConflictToTheSecondApproval()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer in lower case.\n", "lower case");

        var pending = (await host.GetJsonAsync("/api/suggestions?status=pending")).AsArray();
        var first = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "alice" }));
        var second = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "bob" }));

        pending.Select(s => s!["id"]!.GetValue<string>()).Should().Contain(suggestion.Id);
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var conflict = await second.Content.ReadFromJsonAsync<JsonNode>();
        conflict!["decided_by"]!.GetValue<string>().Should().Be("alice", "the loser is told who approved it");
        var stored = await host.GetJsonAsync($"/api/suggestions/{suggestion.Id}");
        stored["status"]!.GetValue<string>().Should().Be("approved");
        stored["resulting_version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await File.ReadAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath))).Should().Contain("Answer in lower case.");
    }

    [Fact]
    public async Task OfTwoSimultaneousApprovalsExactlyOneAppliesAndTheOtherIsToldWhoApproved()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer in lower case.\n", "lower case");

        var answers = await Task.WhenAll(
            host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "alice" })),
            host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "bob" })));

        answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        var winner = answers[0].StatusCode == HttpStatusCode.OK ? "alice" : "bob";
        var conflict = await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonNode>();
        conflict!["decided_by"]!.GetValue<string>().Should().Be(winner, "the loser is told who approved, even when both arrived together");
        conflict["status"]!.GetValue<string>().Should().Be("approved");
        var stored = await host.GetJsonAsync($"/api/suggestions/{suggestion.Id}");
        stored["decided_by"]!.GetValue<string>().Should().Be(winner);
        (await host.Services.FileVersions.ListAsync(ServiceHost.ExperimentPath)).Count(v => v.SuggestionId == suggestion.Id).Should().Be(1, "the change was written once");
    }

    [Fact]
    public async Task ApprovingAGoalDraftWithRerunWritesItsFilesAndQueuesARunOfTheDraftedExperiment()
    {
        await using var host = await ServiceHost.StartAsync();
        var draft = await new EvalLoop.Suggestions.Goals.OfflineGoalDrafter(host.Services.Layout)
            .DraftAsync("routing", "Route each ticket to its label; accuracy >= 0.5", "tickets");
        var suggestion = await new EvalLoop.Suggestions.Goals.GoalDraftSuggestions(host.Services.Suggestions, host.Services.Runs).ProposeAsync(draft);
        var experimentFile = draft.Files.Select(f => f.Path).Single(p => p.StartsWith("experiments/", StringComparison.Ordinal) && !p.StartsWith("experiments/goals/", StringComparison.Ordinal));
        var drafted = Path.GetFileNameWithoutExtension(experimentFile);

        var approve = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "alice", rerun = true }));

        approve.StatusCode.Should().Be(HttpStatusCode.OK, await approve.Content.ReadAsStringAsync());
        (await approve.Content.ReadFromJsonAsync<JsonNode>())!["rerun_queued"]!.GetValue<bool>().Should().BeTrue();
        File.Exists(Path.Combine(host.Root, experimentFile)).Should().BeTrue();
        var history = await ServiceHost.EventuallyAsync(
            () => host.Services.JobHistory.ListAsync(drafted, 10),
            h => h.Count > 0,
            $"the queued run of the drafted experiment {drafted}");
        history[0].Outcome.Should().Be("succeeded", history[0].Error);
        history[0].RunId.Should().NotBeNull();
    }

    [Fact]
    public async Task RejectsWithAReasonAndRequiresOne()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Be brief.\n", "be brief");

        var withoutReason = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/reject", ServiceHost.Json(new { }));
        var rejected = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/reject", ServiceHost.Json(new { reason = "too vague" }));

        withoutReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        rejected.StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await host.GetJsonAsync($"/api/suggestions/{suggestion.Id}");
        stored["status"]!.GetValue<string>().Should().Be("rejected");
        stored["decision_reason"]!.GetValue<string>().Should().Be("too vague");
        (await host.GetJsonAsync("/api/suggestions?status=pending")).AsArray().Should().BeEmpty();
        (await host.Client.GetAsync("/api/suggestions/s-nothere")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RefusesRequestsWithoutTheToken()
    {
        await using var host = await ServiceHost.StartAsync();
        using var anonymous = host.Anonymous();

        var approve = await anonymous.PostAsync("/api/suggestions/s-1/approve", null);
        var run = await anonymous.PostAsync($"/api/experiments/{ServiceHost.Experiment}/run", null);
        var list = await anonymous.GetAsync("/api/runs");
        var page = await anonymous.GetAsync("/suggestions");
        using var wrong = host.Anonymous();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token-at-all");
        var wrongToken = await wrong.PostAsync("/api/suggestions/s-1/approve", null);

        approve.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        run.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        list.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrongToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().Should().Be("/login");
        (await host.Services.Runs.ListRunsAsync()).Should().BeEmpty("nothing ran without the token");
    }

    [Fact]
    public async Task DescribesTheApiWithOpenApi()
    {
        await using var host = await ServiceHost.StartAsync();

        var document = await host.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.Should().Contain(["/api/suggestions", "/api/suggestions/{id}", "/api/suggestions/{id}/approve", "/api/suggestions/{id}/reject", "/api/runs", "/api/runs/{id}", "/api/experiments/{name}/run", "/api/regressions", "/api/schedules/{name}/history"]);
    }

    [Fact]
    public void RefusesAnAlphaOutsideZeroToOneAndAWebhookThatIsNotHttp()
    {
        var errors = EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = Path.GetTempPath(), RegressionAlpha = 1.5, WebhookUrl = "file:///etc/passwd" });

        errors.Should().HaveCount(2);
        errors.Should().Contain(e => e.Contains("alpha", StringComparison.Ordinal)).And.Contain(e => e.Contains("--webhook", StringComparison.Ordinal));
        EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = Path.GetTempPath(), RegressionAlpha = 0.01, WebhookUrl = "https://hooks.example.com/x" }).Should().BeEmpty();
    }

    [Fact]
    public void RefusesToBindBeyondLoopbackWithoutAToken()
    {
        var errors = EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = Path.GetTempPath(), Urls = "http://0.0.0.0:5080" });

        errors.Should().ContainSingle().Which.Should().Contain("needs a token");
        EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = Path.GetTempPath(), Urls = "http://127.0.0.1:5080;http://[::1]:5080" }).Should().BeEmpty();
    }

    private static List<string> RunIds(JsonNode runs) => runs.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
}
