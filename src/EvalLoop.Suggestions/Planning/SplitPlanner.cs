using System.Security.Cryptography;
using System.Text;
using EvalLoop.Core.Datasets;

namespace EvalLoop.Suggestions.Planning;

/// <summary>
/// Chooses the <see cref="SplitPlan"/> for a dataset. With train, dev and test splits (the recommended layout): examples
/// come from train; dev is cut in two halves by a stable hash of each case id, one analysed and one kept for
/// verification; test is held out entirely, so it can measure the before and after honestly. Without a dev split the
/// working cases are those of the requested run's split (or every case outside the pool), with a note that says so.
/// </summary>
public static class SplitPlanner
{
    public const string PoolSplit = "train";
    public const string WorkingSplit = "dev";
    public const string HeldOutSplit = "test";

    /// <param name="cases">Every case of the dataset version, in file order.</param>
    /// <param name="runSplit">The split the requested run used, or null for every case.</param>
    public static SplitPlan Plan(IReadOnlyList<DatasetCase> cases, string? runSplit)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var notes = new List<string>();
        var hasPool = cases.Any(c => c.Split == PoolSplit);
        var hasDev = cases.Any(c => c.Split == WorkingSplit);

        string? working;
        IReadOnlyList<DatasetCase> workingCases;
        if (hasDev)
        {
            working = WorkingSplit;
            workingCases = cases.Where(c => c.Split == WorkingSplit).ToList();
            if (runSplit is not null && runSplit != WorkingSplit)
            {
                notes.Add($"The run used split '{runSplit}'; the suggester does not look at its results. It analyses half of '{WorkingSplit}' and verifies on the other half.");
            }
            else if (runSplit is null)
            {
                notes.Add($"The run covered every split; the suggester only looks at '{WorkingSplit}' (analysis half) and '{PoolSplit}' (examples).");
            }
        }
        else if (runSplit is not null && runSplit != PoolSplit)
        {
            working = runSplit;
            workingCases = cases.Where(c => c.Split == runSplit).ToList();
            notes.Add($"The dataset has no '{WorkingSplit}' split: the suggester analyses half of '{runSplit}' and verifies on the other half, so '{runSplit}' is no longer a held-out measure. Add a '{WorkingSplit}' split to keep one.");
        }
        else
        {
            working = null;
            workingCases = cases.Where(c => c.Split != PoolSplit).ToList();
            notes.Add($"The dataset has no '{WorkingSplit}' split: the suggester analyses half of the cases outside '{PoolSplit}' and verifies on the other half, so none of them is a held-out measure.");
        }

        var analysis = new List<DatasetCase>();
        var verification = new List<DatasetCase>();
        foreach (var c in workingCases)
        {
            (InAnalysisHalf(c.Id) ? analysis : verification).Add(c);
        }

        // A tiny split can hash entirely to one side; move one case so each half has something.
        if (verification.Count == 0 && analysis.Count > 1)
        {
            verification.Add(analysis[^1]);
            analysis.RemoveAt(analysis.Count - 1);
        }
        else if (analysis.Count == 0 && verification.Count > 1)
        {
            analysis.Add(verification[0]);
            verification.RemoveAt(0);
        }

        IReadOnlyList<DatasetCase> pool;
        string? poolSplit;
        if (hasPool)
        {
            poolSplit = PoolSplit;
            pool = cases.Where(c => c.Split == PoolSplit).ToList();
        }
        else
        {
            poolSplit = null;
            pool = analysis;
            notes.Add($"The dataset has no '{PoolSplit}' split: examples are drawn from the analysis half, which verification never uses.");
        }

        // Without a dev split and a run on every split, the working cases take in the test split too: then nothing is held out.
        var heldOut = cases.Any(c => c.Split == HeldOutSplit) && !workingCases.Any(c => c.Split == HeldOutSplit) ? HeldOutSplit : null;
        return new SplitPlan(poolSplit, working, heldOut, pool, analysis, verification, notes);
    }

    /// <summary>
    /// The stable half a case belongs to: the low bit of the first byte of the SHA-256 of its id. It depends on the id
    /// only, so a case stays on its side when other cases are added or removed.
    /// </summary>
    public static bool InAnalysisHalf(string caseId)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(caseId), hash);
        return (hash[0] & 1) == 0;
    }
}
