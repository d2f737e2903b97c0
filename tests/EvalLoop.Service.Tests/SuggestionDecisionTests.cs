using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Suggestions;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Tests;

/// <summary>
/// How approve and reject answer through the API and the UI: a refusal is a conflict, an unknown id is not found, and
/// a failure in the service is a 500 that tells the client nothing of its exception (which is logged with the id).
/// </summary>
public sealed class SuggestionDecisionTests
{
    /// <summary>What the failing database says; it must reach the log and never a client.</summary>
    private const string SecretDetail = "disk on fire at /var/secret/evalloop.db";

    [Fact]
    public async Task AnswersConflictWhenTheFileChangedSinceTheSuggestionWasMade()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer in lower case.\n", "lower case");
        var edited = (await File.ReadAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath))) + "# edited by hand\n";
        await host.WriteAsync(ServiceHost.ExperimentPath, edited);

        // Act
        var approve = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "alice" }));

        // Assert
        approve.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var body = (await approve.Content.ReadFromJsonAsync<JsonNode>())!;
        body["error"]!.GetValue<string>().Should().Contain("has changed since suggestion");
        body["status"]!.GetValue<string>().Should().Be(SuggestionStatus.Pending, "nobody decided it; its change no longer applies");
        (await File.ReadAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath))).Should().Be(edited, "the hand edit is never overwritten");
    }

    [Fact]
    public async Task AnswersServerErrorWithoutItsTextWhenTheApprovalCannotBeStored()
    {
        // Arrange: the database refuses to store any decision once the file is written.
        var logs = new CapturingLoggerProvider();
        await using var host = await ServiceHost.CreateAsync(logging: logs.AddTo);
        await host.RestartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer in lower case.\n", "lower case");
        var before = await File.ReadAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath));
        await FailDecisionsAsync(host);

        // Act
        var approve = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/approve", ServiceHost.Json(new { by = "alice" }));

        // Assert
        approve.StatusCode.Should().Be(HttpStatusCode.InternalServerError, "the service failed; nobody decided first");
        approve.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = await approve.Content.ReadAsStringAsync();
        text.Should().NotContain("disk on fire").And.NotContain("secret").And.NotContain("Exception").And.NotContain("Rolled back");
        JsonNode.Parse(text)!["status"]!.GetValue<int>().Should().Be(500);
        logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Contains(suggestion.Id) && e.Contains("disk on fire"), "the failure is logged with the suggestion's id and its cause");
        (await File.ReadAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath))).Should().Be(before, "the written file was put back");
        (await host.GetJsonAsync($"/api/suggestions/{suggestion.Id}"))["status"]!.GetValue<string>().Should().Be(SuggestionStatus.Pending);
    }

    [Fact]
    public async Task AnswersServerErrorWhenARejectionCannotBeStored()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Be brief.\n", "be brief");
        await FailDecisionsAsync(host);

        // Act
        var reject = await host.Client.PostAsync($"/api/suggestions/{suggestion.Id}/reject", ServiceHost.Json(new { reason = "too vague" }));

        // Assert
        reject.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await reject.Content.ReadAsStringAsync()).Should().NotContain("disk on fire");
    }

    [Fact]
    public async Task AnswersNotFoundToDecidingAnUnknownSuggestion()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();

        // Act
        var reject = await host.Client.PostAsync("/api/suggestions/s-nothere/reject", ServiceHost.Json(new { reason = "too vague" }));
        var approve = await host.Client.PostAsync("/api/suggestions/s-nothere/approve", ServiceHost.Json(new { by = "alice" }));

        // Assert
        reject.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await reject.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>().Should().Contain("s-nothere");
        approve.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ShowsAnErrorPageWithStatus500WhenTheFormsApprovalCannotBeStored()
    {
        // Arrange
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        var form = await UiTests.FormTokenAsync(host, $"/suggestions/{suggestion.Id}", new Dictionary<string, string> { ["by"] = "carol" });
        await FailDecisionsAsync(host);

        // Act
        var approve = await host.Client.PostAsync($"/suggestions/{suggestion.Id}/approve", form);

        // Assert
        approve.StatusCode.Should().Be(HttpStatusCode.InternalServerError, "not a redirect that reports a conflict");
        var html = await approve.Content.ReadAsStringAsync();
        html.Should().Contain("could not be completed").And.NotContain("Not applied").And.NotContain("disk on fire");
    }

    /// <summary>Makes the database refuse every change of a suggestion's status, as a failing disk would.</summary>
    private static async Task FailDecisionsAsync(ServiceHost host)
    {
        await using var connection = await host.Services.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TRIGGER fail_decisions BEFORE UPDATE OF status ON suggestions BEGIN SELECT RAISE(ABORT, '{SecretDetail}'); END;";
        await command.ExecuteNonQueryAsync();
    }
}
