using System.Text.Json;
using EvalLoop.Core.Scoring;
using Json.Schema;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// <c>json-schema</c>: 1 when the output is JSON that validates against a JSON Schema, else 0 with the first
/// violations (instance location and message) as the rationale. The schema is <c>options.schema</c> (inline, as a YAML
/// mapping) or <c>options.schema_file</c> (a JSON file; relative to the workspace, or to the scorer's file when it
/// starts with <c>./</c> or <c>../</c>). Validation is JsonSchema.Net's (draft 2020-12 unless the schema's
/// <c>$schema</c> says otherwise); <c>format</c> is checked. An output that is not JSON scores 0. A schema that is
/// missing or invalid is an error when the experiment loads. Threshold default 1.
/// </summary>
public sealed class JsonSchemaScorer : IScorer
{
    public const string TypeName = "json-schema";
    private const int MaxReportedErrors = 3;
    private readonly JsonSchema _schema;
    private readonly double _threshold;

    public JsonSchemaScorer(ScorerDefinition definition, string? workspaceRoot = null)
    {
        Definition = definition;
        var options = new ScorerOptions(definition, "schema", "schema_file");
        var inline = options.GetElement("schema");
        var file = options.GetString("schema_file");
        if ((inline is null) == (file is null))
        {
            throw options.Error(inline is null ? "schema" : "schema_file", "give exactly one of schema (inline) or schema_file (a path)");
        }

        var option = inline is null ? "schema_file" : "schema";
        string text;
        if (inline is { } schemaElement)
        {
            if (schemaElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            {
                throw options.Error(option, "must be a JSON Schema: a mapping (or true/false)");
            }

            text = schemaElement.GetRawText();
        }
        else
        {
            var path = ResolvePath(file!, definition.SourcePath, workspaceRoot);
            if (!File.Exists(path))
            {
                throw options.Error(option, $"schema file not found: {path}");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            // A private registry: building the same scorer twice (load-time check, then the run) must not clash on $id.
            _schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            throw options.Error(option, $"not a valid JSON Schema: {ex.Message}");
        }

        _threshold = definition.Threshold ?? 1.0;
    }

    public ScorerDefinition Definition { get; }

    public ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        JsonDocument? document = null;
        try
        {
            JsonElement instance;
            if (input.OutputValue is { } value)
            {
                instance = value;
            }
            else
            {
                try
                {
                    document = JsonDocument.Parse(input.Output, new JsonDocumentOptions { MaxDepth = 256 });
                }
                catch (JsonException ex)
                {
                    return ValueTask.FromResult(ScoreResult.FromScore(0, _threshold, $"output is not valid JSON: {ex.Message}"));
                }

                instance = document.RootElement;
            }

            var results = _schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            if (results.IsValid)
            {
                return ValueTask.FromResult(ScoreResult.FromScore(1, _threshold, "output is valid against the schema"));
            }

            var errors = (results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var shown = string.Join("; ", errors.Take(MaxReportedErrors));
            var more = errors.Count > MaxReportedErrors ? $" (and {errors.Count - MaxReportedErrors} more)" : string.Empty;
            return ValueTask.FromResult(ScoreResult.FromScore(0, _threshold, errors.Count == 0 ? "output does not match the schema" : $"schema violation: {shown}{more}"));
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static string ResolvePath(string path, string? sourcePath, string? workspaceRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var relativeToFile = path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal);
        var baseDirectory = relativeToFile && sourcePath is not null
            ? Path.GetDirectoryName(Path.GetFullPath(sourcePath))!
            : workspaceRoot ?? Directory.GetCurrentDirectory();
        return Path.GetFullPath(path, baseDirectory);
    }
}
