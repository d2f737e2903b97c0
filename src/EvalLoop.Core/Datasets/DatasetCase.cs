using System.Text.Json;

namespace EvalLoop.Core.Datasets;

/// <summary>
/// One case of a dataset: the input the prompt is rendered from, the expected value scorers compare with, free-form
/// metadata for slicing, and an optional split (<c>train</c>, <c>dev</c>, <c>test</c>).
/// </summary>
/// <param name="Id">Stable id: the file's <c>id</c>, else derived from the content so it survives reordering.</param>
/// <param name="Input">A JSON string or object.</param>
/// <param name="Expected">Any JSON value, or null when the case has none.</param>
/// <param name="Metadata">A JSON object, or null.</param>
/// <param name="Split">The split name, or null.</param>
public sealed record DatasetCase(string Id, JsonElement Input, JsonElement? Expected, JsonElement? Metadata, string? Split)
{
    /// <summary>The input as text: a JSON string's value, otherwise the compact JSON.</summary>
    public string InputText => JsonText.ToText(Input);

    /// <summary>The expected value as text, or null when there is none (absent or JSON null).</summary>
    public string? ExpectedText => Expected is { ValueKind: not JsonValueKind.Null } e ? JsonText.ToText(e) : null;
}
