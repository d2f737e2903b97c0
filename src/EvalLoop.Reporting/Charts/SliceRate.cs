namespace EvalLoop.Reporting.Charts;

/// <summary>One value of a metadata key and how its cases did.</summary>
internal sealed record SliceRate(string Value, int Cases, int Passed)
{
    public double Rate => Cases == 0 ? 0 : (double)Passed / Cases;
}
