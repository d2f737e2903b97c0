using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EvalLoop.Core.Workspace;
using Microsoft.SemanticKernel;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Core.Prompts;

/// <summary>
/// A prompt EvalLoop sends to a model (the judges' prompts in Scoring, the suggester's meta-prompts in Suggestions): a
/// Semantic Kernel prompt function kept as YAML and embedded in the assembly that uses it, read into Semantic Kernel's
/// <see cref="PromptTemplateConfig"/> and rendered by its template engine. Its <c>execution_settings.default</c> give
/// the call's temperature and max tokens. The one place Semantic Kernel is used.
/// </summary>
/// <remarks>
/// The YAML is converted to the equivalent JSON and read with <see cref="PromptTemplateConfig.FromJson(string)"/>, the
/// same schema Semantic Kernel's own YAML loader (a separate package) uses. Variable values are inserted verbatim
/// (<see cref="PromptTemplateConfig.AllowDangerouslySetContent"/>): the rendered text is sent as one user message and
/// never parsed as Semantic Kernel chat markup, so there is nothing for a model's output to inject into, and the prompts
/// carry <c>{{placeholders}}</c>, angle brackets and outputs that must reach the model unchanged.
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

    /// <summary>Loads the prompt function embedded in <paramref name="assembly"/> as <paramref name="resource"/>.</summary>
    public static PromptFunction Load(Assembly assembly, string resource)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resource)
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

        return new PromptFunction(PromptTemplateConfig.FromJson(YamlFile.ToJson(root)!.ToJsonString()));
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
}
