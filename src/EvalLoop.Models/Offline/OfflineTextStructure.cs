namespace EvalLoop.Models.Offline;

/// <summary>What <see cref="OfflinePromptParser"/> found in one message's text.</summary>
/// <param name="Labels">List items and inline lists that look like answers, in order.</param>
/// <param name="Examples">"Input: ... / Output: ..." style pairs, in order.</param>
/// <param name="PendingInput">
/// The last input-style line with no answer ("Message: my card is late" followed by "Intent:" or nothing):
/// in the final user message, this is the query.
/// </param>
/// <param name="Residual">The lines that were none of the above.</param>
/// <param name="StructuralText">The lines that were parsed as labels or examples, so a cache key can include them.</param>
internal sealed record OfflineTextStructure(
    IReadOnlyList<OfflineLabel> Labels,
    IReadOnlyList<OfflineExample> Examples,
    string? PendingInput,
    string Residual,
    string StructuralText)
{
    public bool HasLabelsOrExamples => Labels.Count > 0 || Examples.Count > 0;

    /// <summary>The text to classify when this message is the query: the pending input, else the unparsed lines, else the whole text.</summary>
    public string QueryOr(string wholeText) =>
        PendingInput is { Length: > 0 } pending ? pending
        : HasLabelsOrExamples && Residual.Length > 0 ? Residual
        : wholeText;
}
