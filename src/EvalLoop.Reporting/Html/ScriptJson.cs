using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace EvalLoop.Reporting.Html;

/// <summary>
/// JSON for a <c>&lt;script type="application/json"&gt;</c> block. The encoder escapes <c>&lt;</c>, <c>&gt;</c>,
/// <c>&amp;</c> and quotes as <c>\u003C</c>-style escapes, so no string in the data can close the block
/// (<c>&lt;/script&gt;</c>) or open a comment (<c>&lt;!--</c>); <c>JSON.parse</c> restores the text exactly. Letters of
/// every script stay as they are, which keeps reports of non-English data small.
/// </summary>
internal static class ScriptJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
    };

    /// <summary>Whether <paramref name="json"/> is safe to place between <c>&lt;script&gt;</c> tags: it contains no <c>&lt;</c> at all.</summary>
    public static bool IsSafeForScriptBlock(ReadOnlySpan<byte> json) => !json.Contains((byte)'<');
}
