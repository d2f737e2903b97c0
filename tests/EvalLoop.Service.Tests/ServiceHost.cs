using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Service;
using EvalLoop.Service.Composition;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Tests;

/// <summary>A temp workspace with a small offline experiment, and the real service host on a free loopback port over it.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";
    public const string Experiment = "tickets";
    public const string ExperimentPath = "experiments/tickets.yaml";

    private readonly Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? _configure;
    private readonly Action<ILoggingBuilder>? _logging;
    private WebApplication? _app;

    private ServiceHost(string root, Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? configure, Action<ILoggingBuilder>? logging)
    {
        Root = root;
        _configure = configure;
        _logging = logging;
    }

    public string Root { get; }

    public HttpClient Client { get; private set; } = new();

    public EvalLoopServices Services => _app!.Services.GetRequiredService<EvalLoopServices>();

    /// <summary>Creates the workspace and starts the host on it; <paramref name="configure"/> adjusts the options of every start.</summary>
    public static async Task<ServiceHost> StartAsync(string? schedule = null, Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? configure = null)
    {
        var host = await CreateAsync(schedule, configure);
        await host.RestartAsync();
        return host;
    }

    /// <summary>
    /// Creates the workspace without starting the host (start it with <see cref="RestartAsync"/>); <paramref name="logging"/>
    /// adds to the logging of every start.
    /// </summary>
    public static async Task<ServiceHost> CreateAsync(string? schedule = null, Func<EvalLoopServiceOptions, EvalLoopServiceOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "evalloop-service-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "datasets"));
        Directory.CreateDirectory(Path.Combine(root, "experiments"));
        await File.WriteAllTextAsync(Path.Combine(root, "datasets", "tickets.jsonl"), """
            {"id": "t1", "input": "I was charged twice for my subscription", "expected": "billing"}
            {"id": "t2", "input": "The app crashes when I open settings", "expected": "bug"}
            {"id": "t3", "input": "Can you add a dark mode?", "expected": "feature_request"}
            {"id": "t4", "input": "How do I get a refund for my invoice?", "expected": "billing"}
            {"id": "t5", "input": "Error 500 when I upload a file", "expected": "bug"}
            {"id": "t6", "input": "Please support single sign-on", "expected": "feature_request"}

            """);
        await File.WriteAllTextAsync(Path.Combine(root, ExperimentPath), ExperimentYaml(Experiment, schedule));
        return new ServiceHost(root, configure, logging);
    }

    /// <summary>The YAML of an offline experiment on the tickets dataset; <paramref name="extra"/> is appended as top-level keys.</summary>
    public static string ExperimentYaml(string name, string? schedule = null, string? extra = null, string model = "provider: offline", string dataset = "tickets") => $"""
        name: {name}
        goal: "Route each ticket; at least 90% correct."
        dataset: {dataset}
        prompt:
          system: |
            Classify the support ticket. Answer with exactly one of:
            - billing
            - bug
            - feature_request
          user: "{"{{input}}"}"
        model:
          {model}
        scorers: [exact-match]
        targets: {"{ exact-match: 0.9 }"}
        concurrency: 2
        {(schedule is null ? string.Empty : $"schedule: \"{schedule}\"")}
        {extra}

        """;

    /// <summary>Writes <paramref name="content"/> to <paramref name="relativePath"/> in the workspace (folders created).</summary>
    public async Task WriteAsync(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds (every 50 ms, at most <paramref name="seconds"/>); returns the last value.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Polls <paramref name="probe"/> every 50 ms for <paramref name="seconds"/> and fails as soon as <paramref name="holds"/>
    /// does not: the way to assert that something does not happen (an overlapping run would show within milliseconds).
    /// </summary>
    public static async Task HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, string what, double seconds = 2)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var value = await probe();
            holds(value).Should().BeTrue($"expected {what}, but saw {value}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the host (if running) and starts a new one on the same workspace and database.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var options = new EvalLoopServiceOptions { Workspace = Root, Urls = "http://127.0.0.1:0", Token = Token, Suggest = false };
        _app = EvalLoopServiceHost.Build(_configure?.Invoke(options) ?? options, _logging);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(20) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>A client with no token.</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };

    /// <summary>
    /// Queues a run through the API and waits (polling) until its job has finished (recorded in the job history, so
    /// the steps after the run are done too); returns the run's id.
    /// </summary>
    public async Task<string> RunAsync(string experiment = Experiment)
    {
        var before = (await Services.JobHistory.ListAsync(experiment, 1000)).Count;
        (await Client.PostAsync($"/api/experiments/{experiment}/run", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var history = await EventuallyAsync(() => Services.JobHistory.ListAsync(experiment, 1000), h => h.Count > before, $"the job of {experiment} to finish");
        return history[0].RunId ?? throw new InvalidOperationException($"the job of {experiment} made no run: {history[0].Outcome} {history[0].Error}");
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>
    /// Saves a pending prompt suggestion (appending <paramref name="appended"/> to the system prompt) through
    /// <see cref="ISuggestionStore"/>, with <paramref name="evidenceJson"/> as its evidence when given.
    /// </summary>
    public async Task<Suggestion> SavePromptSuggestionAsync(string runId, string appended, string title, string? evidenceJson = null)
    {
        var content = await File.ReadAllTextAsync(Path.Combine(Root, ExperimentPath));
        var current = YamlTextEditor.ReadPrompt(content);
        var proposed = current with { System = current.System + appended };
        var change = new PromptChange
        {
            Strategy = "test",
            ExperimentPath = ExperimentPath,
            BaseFileSha256 = FileContentHash.Compute(content),
            BasePromptVersion = ExperimentRunner.PromptVersion(current),
            Base = current,
            Proposed = proposed,
            ProposedPromptVersion = ExperimentRunner.PromptVersion(proposed),
            Fingerprint = Guid.NewGuid().ToString("N"),
            Provenance = new Provenance(),
        };
        // The SQLite implementation of ISuggestionStore, as any producer of suggestions uses it.
        return await Services.Suggestions.SaveAsync(new Suggestion
        {
            Id = "s-" + Guid.NewGuid().ToString("N")[..8],
            RunId = runId,
            ExperimentName = Experiment,
            Kind = SuggestionKinds.Prompt,
            Title = title,
            Summary = "test suggestion",
            ChangeJson = SuggestionJson.Serialize(change),
            EvidenceJson = evidenceJson,
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>
    /// Records the two kinds of internal run next to the user's run <paramref name="userRunId"/>: the zero-case
    /// <c>goal:NAME</c> run a goal draft belongs to (through <see cref="GoalDraftSuggestions"/>, as <c>goal new</c> does)
    /// and a completed verification run of the suggester, newer than the user's run and under the same experiment name,
    /// so only its mode tells it apart. Returns their ids.
    /// </summary>
    public async Task<(string GoalDraftRunId, string VerifyRunId)> SaveInternalRunsAsync(string userRunId)
    {
        var draft = await new OfflineGoalDrafter(Services.Layout).DraftAsync("routing", "Route each ticket to its label; accuracy >= 0.5", "tickets");
        var suggestion = await new GoalDraftSuggestions(Services.Suggestions, Services.Runs).ProposeAsync(draft);
        var user = await Services.Runs.GetRunAsync(userRunId) ?? throw new InvalidOperationException($"there is no run {userRunId}");
        var verify = user with
        {
            Id = userRunId + "-verify",
            Mode = RunModes.VerifyBaseline,
            ParentRunId = userRunId,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(1),
            FinishedAt = DateTimeOffset.UtcNow.AddMinutes(2),
        };
        await Services.Runs.SaveRunAsync(verify);
        return (suggestion.RunId, verify.Id);
    }

    public static JsonContent Json(object value) => JsonContent.Create(value, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
            Client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
