namespace EvalLoop.Service.Regressions;

public sealed partial record RegressionMessage
{
    /// <summary>One scorer's drop: pass rates over the results both runs share, and McNemar's p-value.</summary>
    public sealed record ScorerDrop(string Scorer, double BaselinePassRate, double PassRate, double PValue);
}
