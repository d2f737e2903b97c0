using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// Keeps every case that motivated or went into a suggestion out of its verification: by id, and by input (a
/// verification case whose input is the same text as a recorded case's, once case, whitespace and punctuation are
/// ignored, is the same case as far as the model can tell).
/// </summary>
public static class ProvenanceFirewall
{
    /// <returns>The verification cases that may be used, and the ids left out.</returns>
    /// <param name="promptExamples">
    /// Normalised inputs of examples already written into the prompts being compared: a case that is an example of the
    /// prompt verifies nothing (an earlier approved suggestion may have put it there).
    /// </param>
    public static (IReadOnlyList<DatasetCase> Kept, IReadOnlyList<string> Excluded) Apply(
        IReadOnlyList<DatasetCase> verification, Provenance provenance, IReadOnlyList<DatasetCase> allCases, IEnumerable<string>? promptExamples = null)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(allCases);
        var ids = provenance.AllCaseIds();
        var inputs = allCases.Where(c => ids.Contains(c.Id)).Select(c => TextKey.Normalize(c.InputText)).Concat(promptExamples ?? []).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var kept = new List<DatasetCase>(verification.Count);
        var excluded = new List<string>();
        foreach (var c in verification)
        {
            if (ids.Contains(c.Id) || inputs.Contains(TextKey.Normalize(c.InputText)))
            {
                excluded.Add(c.Id);
            }
            else
            {
                kept.Add(c);
            }
        }

        return (kept, excluded);
    }
}
