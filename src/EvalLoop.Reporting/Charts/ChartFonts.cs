using SkiaSharp;

namespace EvalLoop.Reporting.Charts;

/// <summary>
/// The font charts are drawn with. Skia finds fonts in the system font folders; on a machine with none (a slim
/// container without <c>fonts-dejavu-core</c>) ScottPlot draws charts without any text and reports no error, so the
/// report says so instead.
/// </summary>
internal static class ChartFonts
{
    /// <summary>Preferred families, first available wins: DejaVu Sans ships with Debian's fonts-dejavu-core.</summary>
    private static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static readonly Lazy<(string? Family, bool Any)> Detected = new(Detect);

    /// <summary>The family charts use, or null to leave ScottPlot's default.</summary>
    public static string? Family => Detected.Value.Family;

    /// <summary>Whether Skia can see any font at all.</summary>
    public static bool Available => Detected.Value.Any;

    public const string MissingFontsMessage =
        "Charts have no text: this machine has no fonts Skia can use. Install one (on Debian: apt-get install fonts-dejavu-core) and regenerate the report.";

    private static (string? Family, bool Any) Detect()
    {
        var families = SKFontManager.Default.GetFontFamilies();
        var set = new HashSet<string>(families, StringComparer.OrdinalIgnoreCase);
        return (Preferred.FirstOrDefault(set.Contains), set.Count > 0);
    }
}
