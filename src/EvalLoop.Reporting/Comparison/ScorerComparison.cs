using EvalLoop.Core.Statistics;

namespace EvalLoop.Reporting.Comparison;

/// <summary>
/// A scorer over the paired results: means and pass rates in each run, the paired bootstrap interval of the mean
/// difference (over pairs that both runs scored), and McNemar's test of its pass/fail verdicts.
/// </summary>
internal sealed record ScorerComparison(
    string Scorer,
    double? BaselineMean,
    double? CandidateMean,
    BootstrapResult MeanDifference,
    double BaselinePassRate,
    double CandidatePassRate,
    int Verdicts,
    McNemarResult Test,
    bool? BaselineMet,
    bool? CandidateMet);
