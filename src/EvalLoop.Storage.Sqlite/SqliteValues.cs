using System.Globalization;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// How CLR values the driver would convert lossily or culture-dependently are written to and read from SQLite.
/// Every store goes through these so the format is the same in every table.
/// </summary>
internal static class SqliteValues
{
    // Fixed width and always UTC: text order is time order, and the value keeps every tick of the instant.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static string? FormatTimestamp(DateTimeOffset? value) => value is { } v ? FormatTimestamp(v) : null;

    /// <summary>The stored instant, with a zero offset (the offset it was saved with is not kept).</summary>
    public static DateTimeOffset ParseTimestamp(string text) =>
        new(DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    public static DateTimeOffset? ParseTimestampOrNull(string? text) => text is null ? null : ParseTimestamp(text);

    /// <summary>Invariant text keeps the exact value and its scale (<c>1.50</c> stays <c>1.50</c>).</summary>
    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static object OrDbNull(object? value) => value ?? DBNull.Value;
}
