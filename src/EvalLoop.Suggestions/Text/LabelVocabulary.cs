namespace EvalLoop.Suggestions.Text;

/// <summary>
/// The answers a classification-like task allows, learned from the expected values the suggester may look at (the
/// example pool and the analysed cases, never the verification or held-out cases). Empty when the expected values are
/// free text rather than labels.
/// </summary>
public sealed class LabelVocabulary
{
    /// <summary>An expected value longer than this, or with more words, is an answer, not a label.</summary>
    public const int MaxLabelLength = 64;

    private const int MaxLabelWords = 6;

    private readonly Dictionary<string, string> _byKey;

    private LabelVocabulary(IReadOnlyList<string> labels)
    {
        Labels = labels;
        _byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            _byKey.TryAdd(TextKey.Label(label), label);
        }
    }

    public static LabelVocabulary None { get; } = new([]);

    /// <summary>The labels, in order of first appearance.</summary>
    public IReadOnlyList<string> Labels { get; }

    public bool IsClassification => Labels.Count >= 2;

    /// <summary>
    /// Expected values are labels when nearly all (95%) are short single-line strings and they repeat (fewer distinct
    /// values than half the cases).
    /// </summary>
    public static LabelVocabulary Learn(IEnumerable<string?> expectedValues)
    {
        ArgumentNullException.ThrowIfNull(expectedValues);
        var distinct = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int total = 0, labelLike = 0;
        foreach (var value in expectedValues)
        {
            if (value is null)
            {
                continue;
            }

            total++;
            var trimmed = value.Trim();
            if (trimmed.Length is 0 or > MaxLabelLength || trimmed.Contains('\n', StringComparison.Ordinal)
                || trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MaxLabelWords)
            {
                continue;
            }

            labelLike++;
            if (seen.Add(TextKey.Label(trimmed)))
            {
                distinct.Add(trimmed);
            }
        }

        var areLabels = total > 0 && labelLike >= 0.95 * total && distinct.Count >= 2 && distinct.Count <= Math.Max(2, total / 2);
        return areLabels ? new LabelVocabulary(distinct) : None;
    }

    /// <summary>The label <paramref name="text"/> is (trimmed, case-insensitive), or null when it is none of them.</summary>
    public string? Find(string? text) => text is null ? null : _byKey.GetValueOrDefault(TextKey.Label(text));

    public bool Contains(string? text) => Find(text) is not null;
}
