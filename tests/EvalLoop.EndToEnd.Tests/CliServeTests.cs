using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace EvalLoop.EndToEnd.Tests;

/// <summary><c>evalloop serve</c> as a real child process: its flags reach the host, the API works, Ctrl-C stops it cleanly.</summary>
[Collection("cli")]
public sealed class CliServeTests
{
    [Fact]
    public async Task ServesTheApiRunsAnExperimentOnRequestAndStopsCleanlyOnCtrlC()
    {
        using var workspace = CliTests.SmallWorkspace();
        var url = $"http://127.0.0.1:{FreePort()}";
        JsonNode? schedules = null;
        JsonNode? run = null;
        string? failure = null;

        var serve = await CliProcess.RunAsync(
            workspace.Path,
            ["serve", "--urls", url, "--no-suggest", "--on-overlap", "skip"],
            timeout: TimeSpan.FromMinutes(3),
            onStarted: process => _ = DriveAsync(process));

        serve.ExitCode.Should().Be(0, $"{failure}\n{serve}");
        failure.Should().BeNull(serve.ToString());
        serve.Stdout.Should().Contain("EvalLoop is serving").And.Contain(url);
        schedules!.AsArray().Should().ContainSingle(s => s!["experiment"]!.GetValue<string>() == "tiny");
        run!["run"]!["status"]!.GetValue<string>().Should().Be("completed");
        run["summary"]!["results"]!.GetValue<int>().Should().Be(3);

        async Task DriveAsync(Process process)
        {
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                schedules = await EventuallyAsync(() => client.GetStringAsync("/api/schedules"), process);
                (await client.PostAsync("/api/experiments/tiny/run", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
                var deadline = Stopwatch.StartNew();
                while (deadline.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
                {
                    var runs = JsonNode.Parse(await client.GetStringAsync("/api/runs?experiment=tiny"))!.AsArray();
                    if (runs.Count > 0 && runs[0]!["status"]!.GetValue<string>() == "completed")
                    {
                        run = JsonNode.Parse(await client.GetStringAsync($"/api/runs/{runs[0]!["id"]!.GetValue<string>()}"));
                        break;
                    }

                    await Task.Delay(100);
                }
            }
            catch (Exception ex)
            {
                failure = ex.ToString();
            }
            finally
            {
                using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await interrupt.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task RefusesANonLoopbackAddressWithoutATokenAndABadOverlapPolicy()
    {
        using var workspace = CliTests.SmallWorkspace();

        var open = await CliProcess.RunAsync(workspace.Path, "serve", "--urls", $"http://0.0.0.0:{FreePort()}");
        var overlap = await CliProcess.RunAsync(workspace.Path, "serve", "--on-overlap", "sometimes");

        open.ExitCode.Should().Be(2, open.ToString());
        open.Stderr.Should().Contain("token");
        overlap.ExitCode.Should().Be(2, overlap.ToString());
    }

    private static async Task<JsonNode> EventuallyAsync(Func<Task<string>> get, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return JsonNode.Parse(await get())!;
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            {
                await Task.Delay(100); // the host is still starting
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
