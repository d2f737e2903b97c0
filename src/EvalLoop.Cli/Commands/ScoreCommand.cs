using System.ComponentModel;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop score --scorer TYPE_OR_NAME --input CASES.jsonl [--param key=value ...]</c>: scores a JSONL file of
/// <c>{"output", "expected"?, "input"?, "metadata"?, "id"?}</c> lines without running a model, and prints one JSON
/// object per non-blank line, in order: <c>{"score", "pass", "rationale", "error"}</c>. A user's way to test a scorer
/// before trusting it.
/// </summary>
/// <remarks>
/// The whole file is checked before anything is printed, so a malformed line is one <c>file:line</c> error (exit 2)
/// rather than half an output. A scorer that cannot score a line reports it in that line's <c>error</c>; the command
/// still exits 0. <c>--param</c> values are JSON when they parse as JSON (<c>true</c>, <c>0.8</c>, <c>["a","b"]</c>)
/// and text otherwise, and override the scorer file's options.
/// </remarks>
public sealed class ScoreCommand : EvalLoopCommand<ScoreCommand.Settings>
{
    private static readonly string[] LineKeys = ["output", "expected", "input", "metadata", "id"];
    private static readonly JsonSerializerOptions LineJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("-s|--scorer <TYPE_OR_NAME>")]
        [Description("A built-in scorer type (e.g. levenshtein), a scorer file name in scorers/, or a path to a scorer YAML file.")]
        public string? Scorer { get; init; }

        [CommandOption("-i|--input <CASES_JSONL>")]
        [Description("JSONL file, one {\"output\": ..., \"expected\"?: ..., \"input\"?: ..., \"metadata\"?: {...}} per line.")]
        public string? Input { get; init; }

        [CommandOption("-p|--param <KEY=VALUE>")]
        [Description("A scorer option, repeatable: --param case_sensitive=false --param pattern='^\\d+$'. JSON values are parsed.")]
        public string[] Params { get; init; } = [];

        [CommandOption("--threshold <T>")]
        [Description("Pass threshold (0..1); overrides the scorer's.")]
        public double? Threshold { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Scorer))
            {
                return ValidationResult.Error("--scorer TYPE_OR_NAME is required");
            }

            if (string.IsNullOrWhiteSpace(Input))
            {
                return ValidationResult.Error("--input CASES.jsonl is required");
            }

            if (Threshold is < 0 or > 1)
            {
                return ValidationResult.Error("--threshold must be between 0 and 1");
            }

            var bad = Params.FirstOrDefault(p => p.IndexOf('=', StringComparison.Ordinal) <= 0);
            return bad is null ? ValidationResult.Success() : ValidationResult.Error($"--param '{bad}' must be KEY=VALUE");
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var inputPath = Path.GetFullPath(settings.Input!);
        if (!File.Exists(inputPath))
        {
            throw new UsageException($"--input file not found: {inputPath}");
        }

        var scorer = services.Scorers.Create(await DefinitionAsync(services, settings, cancellationToken));

        // First pass: validate every line, so nothing is printed for a file that is broken further down.
        var count = 0;
        await foreach (var _ in ReadAsync(inputPath, cancellationToken))
        {
            count++;
        }

        var stdout = Console.Out;
        await foreach (var (@case, output, outputValue) in ReadAsync(inputPath, cancellationToken))
        {
            ScoreResult result;
            try
            {
                result = await scorer.ScoreAsync(new ScoringInput(@case, output, outputValue), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                result = ScoreResult.Failure($"{ex.GetType().Name}: {ex.Message}");
            }

            var line = new JsonObject
            {
                ["score"] = result.Score,
                ["pass"] = result.Error is null ? result.Passed : null,
                ["rationale"] = result.Rationale,
                ["error"] = result.Error,
            };
            await stdout.WriteLineAsync(line.ToJsonString(LineJson));
        }

        await stdout.FlushAsync(cancellationToken);
        return ExitCodes.Success;
    }

    private static async Task<ScorerDefinition> DefinitionAsync(EvalLoopServices services, Settings settings, CancellationToken cancellationToken)
    {
        var reference = settings.Scorer!;
        var isFile = reference.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || reference.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || File.Exists(Path.Combine(services.Layout.ScorersDirectory, reference + ".yaml"));
        ScorerDefinition definition;
        if (isFile)
        {
            definition = await services.Experiments.LoadScorerAsync(reference, cancellationToken);
        }
        else if (services.Scorers.KnownTypes.Contains(reference))
        {
            definition = new ScorerDefinition(reference, reference, null, null, "--scorer", null);
        }
        else
        {
            throw new UsageException(
                $"--scorer '{reference}': not a built-in type ({string.Join(", ", services.Scorers.KnownTypes.Order(StringComparer.Ordinal))}) and no file {Path.Combine(services.Layout.ScorersDirectory, reference + ".yaml")}");
        }

        if (settings.Params.Length > 0)
        {
            var options = definition.Options is { ValueKind: JsonValueKind.Object } existing
                ? JsonNode.Parse(existing.GetRawText())!.AsObject()
                : [];
            foreach (var param in settings.Params)
            {
                var separator = param.IndexOf('=', StringComparison.Ordinal);
                options[param[..separator].Trim()] = ParseValue(param[(separator + 1)..]);
            }

            definition = definition with { Options = JsonSerializer.SerializeToElement(options), SourcePath = definition.SourcePath ?? "--param" };
        }

        return settings.Threshold is { } threshold ? definition with { Threshold = threshold } : definition;
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static async IAsyncEnumerable<(DatasetCase Case, string Output, JsonElement? OutputValue)> ReadAsync(
        string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new WorkspaceFileException(path, number, null, $"not valid JSON: {ex.Message}");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WorkspaceFileException(path, number, null, "each line must be a JSON object with \"output\"");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!LineKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new WorkspaceFileException(path, number, property.Name, $"unknown key (allowed: {string.Join(", ", LineKeys)})");
                }
            }

            if (!root.TryGetProperty("output", out var output))
            {
                throw new WorkspaceFileException(path, number, "output", "missing required key");
            }

            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                throw new WorkspaceFileException(path, number, "metadata", "must be a JSON object");
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null ? JsonText.ToText(idElement) : $"line-{number}";
            var input = root.TryGetProperty("input", out var inputElement) ? inputElement : JsonText.Parse("\"\"");
            JsonElement? expected = root.TryGetProperty("expected", out var expectedElement) ? expectedElement : null;
            JsonElement? meta = metadata.ValueKind == JsonValueKind.Object ? metadata : null;
            var @case = new DatasetCase(id, input, expected, meta, null);
            yield return output.ValueKind == JsonValueKind.String
                ? (@case, output.GetString()!, null)
                : (@case, JsonText.ToText(output), output);
        }
    }
}
