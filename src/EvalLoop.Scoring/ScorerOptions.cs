using System.Text.Json;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Scoring;

/// <summary>
/// Typed, strict access to a scorer definition's <c>options</c>: unknown options and wrong types throw
/// <see cref="WorkspaceFileException"/> naming the definition's file, line and option.
/// </summary>
public sealed class ScorerOptions
{
    private readonly ScorerDefinition _definition;
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    public ScorerOptions(ScorerDefinition definition, params string[] allowed)
    {
        _definition = definition;
        if (definition.Options is not { ValueKind: JsonValueKind.Object } options)
        {
            return;
        }

        foreach (var property in options.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Error(property.Name, allowed.Length == 0
                    ? $"scorer type '{definition.Type}' takes no options"
                    : $"unknown option for scorer type '{definition.Type}' (allowed: {string.Join(", ", allowed)})");
            }

            _values[property.Name] = property.Value;
        }
    }

    public bool GetBool(string name, bool defaultValue) => _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false, found {v.GetRawText()}"),
        }
        : defaultValue;

    public string? GetString(string name) => _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(name, $"must be text, found {v.GetRawText()}")
        : null;

    /// <summary>A list of strings; null when absent.</summary>
    public string[]? GetStringList(string name)
    {
        if (!_values.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Error(name, $"must be a list of text values, found {v.GetRawText()}");
        }

        return v.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="defaultValue"/> when absent.</summary>
    public double GetDouble(string name, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!_values.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Error(name, $"must be a number, found {v.GetRawText()}");
        }

        return value < min || value > max
            ? throw Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be between {min} and {max}, found {value}"))
            : value;
    }

    /// <summary>The raw JSON value of an option; null when absent or JSON null.</summary>
    public JsonElement? GetElement(string name) =>
        _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public WorkspaceFileException Error(string option, string problem) =>
        new(_definition.SourcePath ?? "<experiment>", _definition.Line, $"scorer '{_definition.Name}' options.{option}", problem);
}
