using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalLoop.TestUtilities;

/// <summary>
/// A real HTTP server on 127.0.0.1 (random free port) that speaks the OpenAI chat completions and embeddings protocol:
/// <c>POST {prefix}/chat/completions</c> and <c>POST {prefix}/embeddings</c> for any prefix, so both
/// <see cref="OpenAiBaseUrl"/> (<c>/v1</c>) and Azure's <c>/openai/v1</c> work.
/// </summary>
/// <remarks>
/// Per test: <see cref="Responder"/> decides the answer text, <see cref="Latency"/> adds a fixed delay to every
/// request, and <see cref="EnqueueFault"/> scripts faults consumed one per request in order. Every request is counted
/// (<see cref="RequestCount"/>) and, while <see cref="RecordRequests"/> is on, recorded with headers and body.
/// Logging is off and the request path avoids routing and MVC so that a benchmark of thousands of requests at
/// concurrency 16 measures the client, not this server.
/// </remarks>
public sealed class LoopbackOpenAiServer : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<LoopbackFault> _faults = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _requestCount;
    private long _nextId;
    private int _disposed;

    private LoopbackOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The server root, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Base URL for the <c>openai</c> provider: <c>http://127.0.0.1:port/v1</c>.</summary>
    public string OpenAiBaseUrl => new Uri(BaseAddress, "v1").ToString();

    /// <summary>Base URL for the <c>azure-openai</c> provider (the client appends <c>/openai/v1/</c>).</summary>
    public string AzureBaseUrl => BaseAddress.ToString().TrimEnd('/');

    /// <summary>Maps a chat request to the answer. Defaults to echoing the last user message.</summary>
    public Func<LoopbackChatRequest, LoopbackChatAnswer> Responder { get; set; } = static request => request.LastUserMessage;

    /// <summary>Delay added to every request before it is answered (or faulted).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Whether requests are recorded with headers and body (they are always counted).</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>How many requests reached an endpoint (chat or embeddings), faults included.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The recorded requests, in arrival order.</summary>
    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests];

    /// <summary>How many scripted faults are still waiting for a request.</summary>
    public int PendingFaults => _faults.Count;

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<LoopbackOpenAiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });

        var app = builder.Build();
        var server = new LoopbackOpenAiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Urls.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues a fault for the next request that has not consumed one yet.</summary>
    public void EnqueueFault(LoopbackFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _faults.Enqueue(fault);
    }

    /// <summary>Queues several faults, consumed in the given order.</summary>
    public void EnqueueFaults(params LoopbackFault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (var fault in faults)
        {
            EnqueueFault(fault);
        }
    }

    /// <summary>Forgets recorded requests, the request count and pending faults.</summary>
    public void Reset()
    {
        _requests.Clear();
        _faults.Clear();
        Interlocked.Exchange(ref _requestCount, 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel in-flight delays first so slow responses don't hold up shutdown.
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown is best effort in tests.
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var isChat = path.EndsWith("/chat/completions", StringComparison.Ordinal);
        var isEmbeddings = !isChat && path.EndsWith("/embeddings", StringComparison.Ordinal);
        if (!isChat && !isEmbeddings)
        {
            await WriteErrorAsync(context, 404, "not_found", $"Unknown path {path}.", retryAfter: null);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteErrorAsync(context, 405, "method_not_allowed", "Use POST.", retryAfter: null);
            return;
        }

        var aborted = context.RequestAborted;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return;
        }

        Interlocked.Increment(ref _requestCount);
        if (RecordRequests)
        {
            _requests.Enqueue(Record(request, body));
        }

        _faults.TryDequeue(out var fault);
        var delay = Latency + (fault?.Kind == LoopbackFaultKind.Slow ? fault.Delay : TimeSpan.Zero);
        if (delay > TimeSpan.Zero && !await DelayAsync(delay, aborted))
        {
            return;
        }

        if (fault is not null && fault.Kind != LoopbackFaultKind.Slow)
        {
            await WriteFaultAsync(context, fault);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, 400, "invalid_request_error", "Request body is not JSON: " + ex.Message, retryAfter: null);
            return;
        }

        using (document)
        {
            if (isChat)
            {
                await WriteChatCompletionAsync(context, document.RootElement);
            }
            else
            {
                await WriteEmbeddingsAsync(context, document.RootElement);
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        try
        {
            await Task.Delay(delay, linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
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

    private static LoopbackRequest Record(HttpRequest request, byte[] body)
    {
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        return new LoopbackRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            headers,
            Encoding.UTF8.GetString(body),
            DateTimeOffset.UtcNow);
    }

    private static Task WriteFaultAsync(HttpContext context, LoopbackFault fault) => fault.Kind switch
    {
        LoopbackFaultKind.MalformedBody => WriteRawAsync(context, 200, "{\"id\":\"chatcmpl-broken\",\"choices\":[{\"mess"u8.ToArray()),
        LoopbackFaultKind.TooManyRequests => WriteErrorAsync(context, fault.StatusCode, "rate_limit_exceeded", "Rate limit reached. Please try again later.", fault.RetryAfter),
        LoopbackFaultKind.Unauthorized => WriteErrorAsync(context, fault.StatusCode, "invalid_api_key", "Incorrect API key provided.", fault.RetryAfter),
        _ => WriteErrorAsync(context, fault.StatusCode, "server_error", $"Scripted fault {fault.Kind} ({fault.StatusCode}).", fault.RetryAfter),
    };

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message, string? retryAfter)
    {
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", status == 429 ? "requests" : "invalid_request_error");
            writer.WriteNull("param");
            writer.WriteString("code", code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return WriteRawAsync(context, status, buffer.WrittenMemory);
    }

    private static async Task WriteRawAsync(HttpContext context, int status, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away (e.g. its timeout fired); nothing to answer.
        }
    }

    private async Task WriteChatCompletionAsync(HttpContext context, JsonElement root)
    {
        var chatRequest = ParseChatRequest(root);
        LoopbackChatAnswer answer;
        try
        {
            answer = Responder(chatRequest);
        }
#pragma warning disable CA1031 // A throwing responder is a test bug; report it to the client as a 500 instead of a dropped connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await WriteErrorAsync(context, 500, "responder_failed", ex.Message, retryAfter: null);
            return;
        }

        var promptTokens = answer.PromptTokens ?? chatRequest.Messages.Sum(m => EstimateTokens(m.Content));
        var completionTokens = answer.CompletionTokens ?? EstimateTokens(answer.Text);
        var id = "chatcmpl-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        if (chatRequest.Stream)
        {
            await WriteChatStreamAsync(context, root, id, created, chatRequest.Model, answer, promptTokens, completionTokens);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", chatRequest.Model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", answer.Text);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", answer.FinishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer, promptTokens, completionTokens);
            writer.WriteEndObject();
        }

        await WriteRawAsync(context, 200, buffer.WrittenMemory);
    }

    private static async Task WriteChatStreamAsync(
        HttpContext context,
        JsonElement root,
        string id,
        long created,
        string model,
        LoopbackChatAnswer answer,
        int promptTokens,
        int completionTokens)
    {
        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;

        var buffer = new ArrayBufferWriter<byte>(1024);
        void Chunk(Action<Utf8JsonWriter> choices, bool usage)
        {
            buffer.Write("data: "u8);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("id", id);
                writer.WriteString("object", "chat.completion.chunk");
                writer.WriteNumber("created", created);
                writer.WriteString("model", model);
                writer.WriteStartArray("choices");
                choices(writer);
                writer.WriteEndArray();
                if (usage)
                {
                    WriteUsage(writer, promptTokens, completionTokens);
                }

                writer.WriteEndObject();
            }

            buffer.Write("\n\n"u8);
        }

        Chunk(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            w.WriteString("role", "assistant");
            w.WriteString("content", answer.Text);
            w.WriteEndObject();
            w.WriteNull("finish_reason");
            w.WriteEndObject();
        }, usage: false);
        Chunk(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            w.WriteEndObject();
            w.WriteString("finish_reason", answer.FinishReason);
            w.WriteEndObject();
        }, usage: false);
        if (includeUsage)
        {
            Chunk(static _ => { }, usage: true);
        }

        buffer.Write("data: [DONE]\n\n"u8);

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        try
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }

    private static void WriteUsage(Utf8JsonWriter writer, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteEndObject();
    }

    private static async Task WriteEmbeddingsAsync(HttpContext context, JsonElement root)
    {
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "unknown";
        var dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 8;
        var inputs = new List<string>();
        if (root.TryGetProperty("input", out var input))
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                inputs.Add(input.GetString()!);
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in input.EnumerateArray())
                {
                    inputs.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                }
            }
        }

        var tokens = inputs.Sum(EstimateTokens);
        var buffer = new ArrayBufferWriter<byte>(256 + (inputs.Count * dimensions * 12));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                writer.WriteStartArray("embedding");
                foreach (var value in DeterministicEmbedding(inputs[i], dimensions))
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", tokens);
            writer.WriteNumber("total_tokens", tokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await WriteRawAsync(context, 200, buffer.WrittenMemory);
    }

    /// <summary>A unit vector derived from the text's characters: equal texts embed equally, similar texts nearby.</summary>
    private static float[] DeterministicEmbedding(string text, int dimensions)
    {
        var vector = new float[Math.Max(1, dimensions)];
        foreach (var c in text)
        {
            vector[char.ToLowerInvariant(c) % vector.Length] += 1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    private static LoopbackChatRequest ParseChatRequest(JsonElement root)
    {
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        var messages = new List<LoopbackChatMessage>();
        if (root.TryGetProperty("messages", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in array.EnumerateArray())
            {
                var role = message.TryGetProperty("role", out var r) ? r.GetString() ?? string.Empty : string.Empty;
                messages.Add(new LoopbackChatMessage(role, ContentText(message)));
            }
        }

        double? temperature = root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
        int? maxTokens =
            root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind == JsonValueKind.Number ? mct.GetInt32()
            : root.TryGetProperty("max_tokens", out var mt) && mt.ValueKind == JsonValueKind.Number ? mt.GetInt32()
            : null;
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return new LoopbackChatRequest(model, messages, temperature, maxTokens, stream);
    }

    private static string ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return string.Empty;
        }
    }

    private static int EstimateTokens(string text) => Math.Max(1, (text.Length + 3) / 4);
}
