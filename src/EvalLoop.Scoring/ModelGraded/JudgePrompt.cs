using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>
/// A judge prompt: a Semantic Kernel prompt function kept as YAML in <c>ModelGraded/Prompts/</c> (embedded in this
/// assembly), read into Semantic Kernel's <see cref="PromptTemplateConfig"/> and rendered by its template engine.
/// Its <c>execution_settings.default</c> supply the judge call's temperature and max tokens.
/// </summary>
/// <remarks>
/// The YAML is converted to the equivalent JSON and read with <see cref="PromptTemplateConfig.FromJson(string)"/>, the
/// same schema Semantic Kernel's own YAML loader (a separate package) uses. Variable values are inserted verbatim
/// (<see cref="PromptTemplateConfig.AllowDangerouslySetContent"/>): the rendered text is sent as one user message, never
/// parsed as Semantic Kernel chat markup, so there is nothing for a model's output to inject into, and HTML-encoding
/// it would change what the judge reads.
/// </remarks>
public sealed class JudgePrompt
{
    private static readonly Kernel Kernel = new();
    private readonly IPromptTemplate _template;

    private JudgePrompt(PromptTemplateConfig config)
    {
        Config = config;
        config.AllowDangerouslySetContent = true;
        foreach (var variable in config.InputVariables)
        {
            variable.AllowDangerouslySetContent = true;
        }

        _template = new KernelPromptTemplateFactory { AllowDangerouslySetContent = true }.Create(config);
        var settings = config.DefaultExecutionSettings?.ExtensionData;
        Temperature = Number(settings, "temperature") is { } t ? (float)t : 0f;
        MaxTokens = Number(settings, "max_tokens") is { } m ? (int)m : null;
    }

    public PromptTemplateConfig Config { get; }

    /// <summary>From <c>execution_settings.default.temperature</c>; judges run at 0.</summary>
    public float Temperature { get; }

    /// <summary>From <c>execution_settings.default.max_tokens</c>.</summary>
    public int? MaxTokens { get; }

    /// <summary>Loads the embedded prompt <c>ModelGraded/Prompts/{name}.yaml</c>.</summary>
    public static JudgePrompt Load(string name)
    {
        var resource = $"EvalLoop.Scoring.ModelGraded.Prompts.{name}.yaml";
        using var stream = typeof(JudgePrompt).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"judge prompt {resource} is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Reads Semantic Kernel prompt-function YAML.</summary>
    public static JudgePrompt Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("a prompt function file must be a YAML mapping");
        }

        return new JudgePrompt(PromptTemplateConfig.FromJson(ToJson(root)!.ToJsonString()));
    }

    /// <summary>Renders the template with <paramref name="variables"/>; a missing required variable throws.</summary>
    public async Task<string> RenderAsync(IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var variable in Config.InputVariables.Where(v => v.IsRequired))
        {
            if (!variables.ContainsKey(variable.Name))
            {
                throw new ArgumentException($"judge prompt '{Config.Name}' needs the variable '{variable.Name}'", nameof(variables));
            }
        }

        var arguments = new KernelArguments();
        foreach (var (key, value) in variables)
        {
            arguments[key] = value;
        }

        return await _template.RenderAsync(Kernel, arguments, cancellationToken);
    }

    private static double? Number(IDictionary<string, object>? settings, string key) =>
        settings is not null && settings.TryGetValue(key, out var value) ? value switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => null,
        } : null;

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        YamlScalarNode { Style: ScalarStyle.Plain } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToJson(kv.Value)))),
        _ => null,
    };
}
