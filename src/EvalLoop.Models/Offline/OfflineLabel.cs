namespace EvalLoop.Models.Offline;

/// <summary>An allowed answer found in a prompt.</summary>
/// <param name="Name">The answer exactly as the model should return it, e.g. <c>card_arrival</c>.</param>
/// <param name="Description">Text after the label on its line ("card_arrival: where is my card"), if any.</param>
/// <param name="Announced">
/// Whether the prompt introduced it as an answer ("one of:", a list under "Labels:"), as opposed to any short list item.
/// </param>
internal sealed record OfflineLabel(string Name, string? Description, bool Announced);
