using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// How consistently a judge graded the same answer across trials. Two trials of a case are <em>comparable</em> when
/// their outputs are the same text up to letter case, whitespace and punctuation (<see cref="TextKey.Normalize"/>):
/// a different verdict on them is the judge disagreeing with itself, not the task model answering differently. Reports
/// the cases with such a flip, the simple pairwise agreement over comparable pairs, and Fleiss' kappa (two categories,
/// pass and fail) over every case graded in the most common number of trials, whatever its outputs.
/// </summary>
public static class JudgeAgreement
{
    /// <summary>One graded trial: the case, the trial, the output and whether the judge passed it.</summary>
    public readonly record struct Grade(string CaseId, int Trial, string? Output, bool Passed);

    public static JudgeAgreementFigures Compute(IEnumerable<Grade> grades)
    {
        ArgumentNullException.ThrowIfNull(grades);
        var byCase = grades.Where(g => g.Output is not null).GroupBy(g => g.CaseId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        int pairs = 0, agreeing = 0, compared = 0;
        var flipping = new List<JudgeFlip>();
        foreach (var @case in byCase)
        {
            var trials = @case.OrderBy(g => g.Trial).ToList();
            var caseHasPair = false;
            var flipped = new List<string>();
            foreach (var group in trials.GroupBy(g => TextKey.Normalize(g.Output)))
            {
                var members = group.ToList();
                if (members.Count < 2)
                {
                    continue;
                }

                caseHasPair = true;
                var passes = members.Count(m => m.Passed);
                var fails = members.Count - passes;
                pairs += members.Count * (members.Count - 1) / 2;
                agreeing += (passes * (passes - 1) / 2) + (fails * (fails - 1) / 2);
                if (passes > 0 && fails > 0)
                {
                    // Only the equivalent answers graded both ways show the judge disagreeing with itself.
                    flipped.AddRange(members.Select(m => m.Output ?? string.Empty));
                }
            }

            if (caseHasPair)
            {
                compared++;
            }

            if (flipped.Count > 0)
            {
                flipping.Add(new JudgeFlip(@case.Key, trials.Count, trials.Count(t => t.Passed), flipped.Distinct(StringComparer.Ordinal).Take(3).ToList()));
            }
        }

        return new JudgeAgreementFigures(compared, flipping.Count, compared == 0 ? 0 : (double)flipping.Count / compared, pairs, pairs == 0 ? 1 : (double)agreeing / pairs, FleissKappa(byCase.Select(c => c.Select(g => g.Passed).ToList()).ToList()), flipping);
    }

    /// <summary>
    /// Fleiss' kappa for pass/fail ratings, over the cases rated the most common number of times (at least 2); null
    /// when there are none or every rating is the same (chance agreement is then 1 and kappa is undefined).
    /// </summary>
    public static double? FleissKappa(IReadOnlyList<IReadOnlyList<bool>> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var n = ratings.Where(r => r.Count >= 2).GroupBy(r => r.Count).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).Select(g => g.Key).FirstOrDefault();
        var rated = ratings.Where(r => r.Count == n).ToList();
        if (n < 2 || rated.Count == 0)
        {
            return null;
        }

        double sumAgreement = 0, passes = 0;
        foreach (var r in rated)
        {
            double pass = r.Count(x => x), fail = n - pass;
            passes += pass;
            sumAgreement += ((pass * (pass - 1)) + (fail * (fail - 1))) / (n * (n - 1.0));
        }

        var observed = sumAgreement / rated.Count;
        var pPass = passes / (rated.Count * (double)n);
        var chance = (pPass * pPass) + ((1 - pPass) * (1 - pPass));
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }
}

/// <summary>
/// A judge's self-agreement: <paramref name="ComparedCases"/> cases had comparable trials, <paramref name="FlippingCases"/>
/// of them got both verdicts (share <paramref name="FlipRate"/>); <paramref name="PairwiseAgreement"/> over
/// <paramref name="Pairs"/> comparable trial pairs; Fleiss' kappa over all trials (null when undefined).
/// </summary>
public sealed record JudgeAgreementFigures(int ComparedCases, int FlippingCases, double FlipRate, int Pairs, double PairwiseAgreement, double? FleissKappa, IReadOnlyList<JudgeFlip> Flips);

/// <summary>A case the judge graded both ways: its trials, how many passed, and (up to 3 of) the equivalent outputs it graded both ways.</summary>
public sealed record JudgeFlip(string CaseId, int Trials, int Passed, IReadOnlyList<string> Outputs);

/// <summary>The judge's self-agreement on one run's stored outputs under the current and the proposed scorer.</summary>
public sealed record JudgeConsistency(string RunId, string Description, JudgeAgreementFigures Before, JudgeAgreementFigures After);
