namespace EvalLoop.Reporting.Html;

/// <summary>The stylesheet and script inlined into reports, read once from the assembly's embedded resources.</summary>
internal static class ReportAssets
{
    private static readonly Lazy<string> Css = new(() => Read("report.css"));
    private static readonly Lazy<string> RunScript = new(() => Read("run-report.js"));

    public static string Stylesheet => Css.Value;

    public static string RunReportScript => RunScript.Value;

    private static string Read(string name)
    {
        using var stream = typeof(ReportAssets).Assembly.GetManifestResourceStream("EvalLoop.Reporting.Assets." + name)
            ?? throw new InvalidOperationException($"The report asset {name} is not embedded in {typeof(ReportAssets).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
