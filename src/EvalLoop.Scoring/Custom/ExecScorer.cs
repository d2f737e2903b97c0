using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Scoring.Custom;

/// <summary>
/// <c>exec</c>: runs a command of the user's per output, in any language. The command (<c>options.command</c>, run by
/// <c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows, in the workspace folder) reads one JSON object
/// <c>{"input", "output", "expected", "metadata"}</c> on stdin (input, expected and metadata as they are in the dataset,
/// null when absent) and prints one JSON object <c>{"score": number in [0, 1], "rationale"?: string}</c> on stdout.
/// A timeout (<c>options.timeout_seconds</c>, default 30), a non-zero exit code (with the end of stderr), or stdout that
/// is not exactly such an object is an error on that case, never a guessed score. Threshold default 0.5.
/// </summary>
public sealed class ExecScorer : IScorer
{
    public const string TypeName = "exec";
    private const int MaxCapturedChars = 64 * 1024;
    private readonly string _command;
    private readonly TimeSpan _timeout;
    private readonly string _workingDirectory;
    private readonly double _threshold;

    public ExecScorer(ScorerDefinition definition, string? workingDirectory = null)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, "command", "timeout_seconds");
        _command = options.GetString("command") is { Length: > 0 } command && !string.IsNullOrWhiteSpace(command)
            ? command
            : throw options.Error("command", "required: the command to run per output, e.g. \"python3 scorers/check.py\"");
        _timeout = TimeSpan.FromSeconds(options.GetDouble("timeout_seconds", 30, 0.01, 3600));
        _workingDirectory = workingDirectory ?? Directory.GetCurrentDirectory();
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public async ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", _command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", _command } };
        start.WorkingDirectory = _workingDirectory;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ScoreResult.Failure($"could not start `{_command}`: {ex.Message}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var stdout = ReadCappedAsync(process.StandardOutput, timeout.Token);
        var stderr = ReadCappedAsync(process.StandardError, timeout.Token);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(Payload(input).AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited without reading all of its input; its exit code and output still decide.
            }

            await process.WaitForExitAsync(timeout.Token);
            var (output, error) = (await stdout, await stderr);
            if (process.ExitCode != 0)
            {
                return ScoreResult.Failure($"`{_command}` exited with code {process.ExitCode}{Tail(error)}");
            }

            return Parse(output);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return ScoreResult.Failure($"`{_command}` timed out after {_timeout.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s");
        }
    }

    private ScoreResult Parse(string stdout)
    {
        var text = stdout.Trim();
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return BadOutput(text, "it is not a JSON object");
            }

            if (!root.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind != JsonValueKind.Number
                || !scoreElement.TryGetDouble(out var score) || !double.IsFinite(score))
            {
                return BadOutput(text, "\"score\" must be a number");
            }

            if (score is < 0 or > 1)
            {
                return BadOutput(text, "\"score\" must be between 0 and 1");
            }

            string? rationale = null;
            if (root.TryGetProperty("rationale", out var rationaleElement) && rationaleElement.ValueKind != JsonValueKind.Null)
            {
                if (rationaleElement.ValueKind != JsonValueKind.String)
                {
                    return BadOutput(text, "\"rationale\" must be text");
                }

                rationale = rationaleElement.GetString();
            }

            return ScoreResult.FromScore(score, _threshold, rationale ?? $"`{_command}` scored {ScorerValues.Format(score)}");
        }
        catch (JsonException)
        {
            return BadOutput(text, "it is not JSON");
        }
    }

    private ScoreResult BadOutput(string stdout, string problem) =>
        ScoreResult.Failure($"`{_command}` printed {(stdout.Length == 0 ? "nothing" : $"\"{ScorerValues.Shorten(stdout, 120)}\"")}: {problem}; expected {{\"score\": number, \"rationale\"?: string}}");

    private static string Payload(ScoringInput input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("input");
            input.Case.Input.WriteTo(writer);
            writer.WritePropertyName("output");
            if (input.OutputValue is { } value)
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue(input.Output);
            }

            WriteOrNull(writer, "expected", input.Case.Expected);
            WriteOrNull(writer, "metadata", input.Case.Metadata);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";

        static void WriteOrNull(Utf8JsonWriter writer, string name, JsonElement? element)
        {
            writer.WritePropertyName(name);
            if (element is { ValueKind: not JsonValueKind.Undefined } e)
            {
                e.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            // Keep reading past the cap so the command never blocks on a full pipe; just stop storing.
            if (builder.Length < MaxCapturedChars)
            {
                builder.Append(buffer, 0, Math.Min(read, MaxCapturedChars - builder.Length));
            }
        }

        return builder.ToString();
    }

    private static string Tail(string stderr)
    {
        var text = stderr.Trim();
        return text.Length == 0 ? string.Empty : ": " + (text.Length <= 300 ? text : "..." + text[^297..]).ReplaceLineEndings(" | ");
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
    }
}
