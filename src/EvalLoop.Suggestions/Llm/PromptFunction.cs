using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Suggestions.Llm;

/// <summary>
/// A meta-prompt of the LLM strategy: a Semantic Kernel prompt function kept as YAML in <c>Llm/Prompts/</c> (embedded),
/// read into Semantic Kernel's <see cref="PromptTemplateConfig"/> and rendered by its template engine. Its
/// <c>execution_settings.default</c> give the call's temperature and max tokens.
/// </summary>
/// <remarks>
/// Variable values are inserted verbatim (<see cref="PromptTemplateConfig.AllowDangerouslySetContent"/>): the rendered
/// text is sent as one user message and never parsed as Semantic Kernel chat markup, and prompts under review are full
/// of <c>{{placeholders}}</c> and angle brackets that must reach the model unchanged.
/// </remarks>
public sealed class PromptFunction
{
    private static readonly Kernel Kernel = new();
    private readonly IPromptTemplate _template;

    private PromptFunction(PromptTemplateConfig config)
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

    public float Temperature { get; }

    public int? MaxTokens { get; }

    /// <summary>Loads the embedded prompt function <c>Llm/Prompts/{name}.yaml</c>.</summary>
    public static PromptFunction Load(string name)
    {
        var resource = $"EvalLoop.Suggestions.Llm.Prompts.{name}.yaml";
        using var stream = typeof(PromptFunction).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"prompt function {resource} is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Reads Semantic Kernel prompt-function YAML.</summary>
    public static PromptFunction Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("a prompt function file must be a YAML mapping");
        }

        return new PromptFunction(PromptTemplateConfig.FromJson(ToJson(root)!.ToJsonString()));
    }

    /// <summary>Renders the template; a missing required variable throws <see cref="ArgumentException"/>.</summary>
    public async Task<string> RenderAsync(IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var variable in Config.InputVariables.Where(v => v.IsRequired))
        {
            if (!variables.ContainsKey(variable.Name))
            {
                throw new ArgumentException($"prompt function '{Config.Name}' needs the variable '{variable.Name}'", nameof(variables));
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
