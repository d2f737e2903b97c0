using System.Globalization;

namespace EvalLoop.Reporting.Html;

/// <summary>How numbers, times and durations read in reports (invariant culture, so reports do not depend on the machine).</summary>
internal static class Format
{
    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Score(double? score) => score is { } s ? s.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    public static string Cost(decimal cost) => cost.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–";

    public static string Duration(double seconds) => seconds switch
    {
        < 60 => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {seconds % 60:0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min"),
    };

    /// <summary>A signed difference in percentage points, e.g. "+3.2 pp".</summary>
    public static string PercentPoints(double delta) => (delta * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pp";

    public static string Signed(double value, string format = "0.000") => value.ToString("+" + format + ";-" + format + ";" + format, CultureInfo.InvariantCulture);

    public static string PValue(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
