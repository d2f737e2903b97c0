namespace EvalLoop.Core.Runs;

/// <summary>
/// A scorer whose pass rate dropped significantly in <see cref="RunId"/> compared with <see cref="BaselineRunId"/>
/// (the experiment's last approved baseline), by a paired test on the (case, trial) results both runs have.
/// </summary>
/// <param name="BaselinePassRate">The scorer's pass rate in the baseline, over the shared results.</param>
/// <param name="PassRate">The scorer's pass rate in the run, over the shared results.</param>
/// <param name="PValue">Two-sided p-value of McNemar's test on the paired pass/fail outcomes.</param>
/// <param name="Pairs">How many (case, trial) results the two runs share.</param>
public sealed record RunRegression(
    string RunId,
    string BaselineRunId,
    string ExperimentName,
    string Scorer,
    double BaselinePassRate,
    double PassRate,
    double PValue,
    int Pairs,
    DateTimeOffset DetectedAt);
