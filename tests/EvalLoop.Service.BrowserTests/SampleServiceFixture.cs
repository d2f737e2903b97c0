using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Suggestions;
using EvalLoop.Reporting;
using EvalLoop.Service.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Service.BrowserTests;

/// <summary>
/// A copy of the repository's sample workspace (datasets, scorers, experiments) served by the real host on a free
/// loopback port, after one pass of the loop the real way: a run of the sample experiment on the offline model,
/// triggered through the API, then the host's own analysis and verified suggestions.
/// </summary>
public sealed class SampleServiceFixture : IAsyncLifetime
{
    public const string Experiment = "banking77-intents";

    private static readonly TimeSpan LoopDeadline = TimeSpan.FromMinutes(5);

    private WebApplication? _app;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "evalloop-ui-" + Guid.NewGuid().ToString("N")[..8]);

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The run the loop started from.</summary>
    public string RunId { get; private set; } = string.Empty;

    /// <summary>The suggestions the loop proposed from that run, pending.</summary>
    public IReadOnlyList<string> PendingSuggestionIds { get; private set; } = [];

    public EvalLoopServices Services => _app!.Services.GetRequiredService<EvalLoopServices>();

    public async Task InitializeAsync()
    {
        var repository = RepositoryRoot();
        foreach (var folder in new[] { "datasets", "scorers", "experiments" })
        {
            CopyDirectory(Path.Combine(repository, folder), Path.Combine(Root, folder));
        }

        _app = EvalLoopServiceHost.Build(new EvalLoopServiceOptions { Workspace = Root, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        (await Client.PostAsync($"/api/experiments/{Experiment}/run", null)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow + LoopDeadline;
        while (DateTime.UtcNow < deadline)
        {
            var pending = (await Client.GetFromJsonAsync<JsonArray>("/api/suggestions?status=pending"))!;
            if (pending.Count > 0)
            {
                // The suggester stores its suggestions one by one; the report is the loop's last step, so once the
                // run's report is written every suggestion from it is in.
                var runId = pending[0]!["run_id"]!.GetValue<string>();
                if (File.Exists(HtmlReportGeneratorExtensions.RunReportPath(Services.Layout.ReportsDirectory, runId)))
                {
                    RunId = runId;
                    PendingSuggestionIds = (await Client.GetFromJsonAsync<JsonArray>("/api/suggestions?status=pending"))!
                        .Select(s => s!["id"]!.GetValue<string>()).ToList();
                    return;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the loop proposed no suggestion within {LoopDeadline}");
    }

    /// <summary>Stores a pending suggestion as any producer does (through <see cref="ISuggestionStore"/>).</summary>
    public Task<Suggestion> SaveSuggestionAsync(Suggestion suggestion) => Services.Suggestions.SaveAsync(suggestion);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Client?.Dispose();
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

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EvalLoop.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("EvalLoop.sln not found above " + AppContext.BaseDirectory);
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
