using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using EvalLoop.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Benchmarks;

/// <summary>
/// The model endpoint of the benchmark: the tests' <see cref="LoopbackOpenAiServer"/> (which speaks the protocol)
/// behind a small loopback front that adds the fixed latency accurately and measures what it adds.
/// </summary>
/// <remarks>
/// The loopback server's own <see cref="LoopbackOpenAiServer.Latency"/> is a <c>Task.Delay</c>, which overshoots by about
/// 2 ms on Linux (<c>Task.Delay(50)</c> takes 52 ms); that 4% would be charged to the client under test. TestUtilities is
/// not the benchmark's to change, so the latency is added here: the front forwards each request at once to the loopback
/// server (latency zero), holds the answer until the request's deadline (arrival + latency) on a
/// <see cref="DeadlineTimer"/>, then writes it. The hop to the loopback server (a fraction of a millisecond) is hidden
/// inside the latency, and what the endpoint really adds, arrival to response written, is measured
/// (<see cref="TakeStats"/>) and printed next to the figures. With <see cref="ServerDelayMode.TaskDelay"/> the front
/// holds nothing and the loopback server delays as it does in the tests, to compare.
/// </remarks>
internal sealed partial class BenchModelServer : IAsyncDisposable
{
    private readonly LoopbackOpenAiServer _inner;
    private readonly WebApplication _front;
    private readonly HttpClient _forwarder;
    private readonly DeadlineTimer? _timer;
    private readonly long _latencyTicks;
    private readonly ConcurrentQueue<RequestTiming> _timings = new();

    private BenchModelServer(LoopbackOpenAiServer inner, WebApplication front, TimeSpan latency, ServerDelayMode mode)
    {
        _inner = inner;
        _front = front;
        _latencyTicks = (long)(latency.TotalSeconds * Stopwatch.Frequency);
        _timer = mode == ServerDelayMode.Precise && latency > TimeSpan.Zero ? new DeadlineTimer() : null;
        _forwarder = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Base URL for the experiment's <c>model.base_url</c>: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public string OpenAiBaseUrl { get; private set; } = string.Empty;

    /// <summary>Requests the loopback server behind the front has answered since the last <see cref="TakeStats"/>.</summary>
    public int InnerRequestCount => _inner.RequestCount;

    public static async Task<BenchModelServer> StartAsync(
        TimeSpan latency,
        ServerDelayMode mode,
        Func<LoopbackChatRequest, LoopbackChatAnswer> responder,
        CancellationToken cancellationToken = default)
    {
        var inner = await LoopbackOpenAiServer.StartAsync(cancellationToken);
        inner.RecordRequests = false;
        inner.Responder = responder;
        inner.Latency = mode == ServerDelayMode.TaskDelay ? latency : TimeSpan.Zero;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();

        // The front does no blocking work, so its continuations may run on the socket threads: one hop fewer between the
        // deadline and the bytes on the wire.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var server = new BenchModelServer(inner, app, latency, mode);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Urls.First().TrimEnd('/');
        server.OpenAiBaseUrl = address + "/v1";
        return server;
    }

    /// <summary>The figures of the requests since the last call, and a fresh start for the next run.</summary>
    public ServerLatencyStats TakeStats()
    {
        var timings = new List<RequestTiming>();
        while (_timings.TryDequeue(out var timing))
        {
            timings.Add(timing);
        }

        _inner.Reset();
        if (timings.Count == 0)
        {
            return ServerLatencyStats.Empty;
        }

        var delays = timings.Select(t => t.DelayMs).Order().ToArray();
        var added = timings.Select(t => t.AddedMs).Order().ToArray();
        return new ServerLatencyStats(
            timings.Count,
            delays.Average(),
            Percentile(delays, 0.99),
            timings.Average(t => t.ForwardMs),
            added.Average(),
            Percentile(added, 0.50),
            Percentile(added, 0.99));
    }

    public async ValueTask DisposeAsync()
    {
        await _front.StopAsync(CancellationToken.None);
        await _front.DisposeAsync();
        _timer?.Dispose();
        _forwarder.Dispose();
        await _inner.DisposeAsync();
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        var request = context.Request;

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return;
        }

        // The answer is fetched first and held until the deadline, so the hop to the loopback server is hidden inside the
        // latency and only the write of the held answer follows the deadline.
        using var forward = new HttpRequestMessage(HttpMethod.Post, _inner.BaseAddress + (request.Path.Value ?? string.Empty).TrimStart('/'))
        {
            Content = new ByteArrayContent(body),
        };
        if (request.ContentType is { } contentType)
        {
            forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        try
        {
            using var answer = await _forwarder.SendAsync(forward, aborted);
            var bytes = await answer.Content.ReadAsByteArrayAsync(aborted);
            var forwarded = Stopwatch.GetTimestamp();
            if (_timer is not null)
            {
                await _timer.WaitUntilAsync(arrived + _latencyTicks);
            }

            var delayed = Stopwatch.GetTimestamp();
            var response = context.Response;
            response.StatusCode = (int)answer.StatusCode;
            response.ContentType = answer.Content.Headers.ContentType?.ToString();
            response.ContentLength = bytes.Length;
            if (answer.Headers.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = retryAfter.ToString();
            }

            await response.Body.WriteAsync(bytes, aborted);
            var done = Stopwatch.GetTimestamp();
            _timings.Enqueue(new RequestTiming(Milliseconds(arrived, delayed), Milliseconds(arrived, forwarded), Milliseconds(arrived, done)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The client went away, or the server is stopping: nothing to answer or to measure.
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
