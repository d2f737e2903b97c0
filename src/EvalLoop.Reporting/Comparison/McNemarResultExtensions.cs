using EvalLoop.Core.Statistics;

namespace EvalLoop.Reporting.Comparison;

/// <summary>How the comparison report names the form of McNemar's test behind a p-value.</summary>
internal static class McNemarResultExtensions
{
    public static string MethodName(this McNemarResult result) =>
        result.Method == McNemarResult.ExactMethod ? "McNemar exact (binomial)" : "McNemar χ² (continuity-corrected)";
}
