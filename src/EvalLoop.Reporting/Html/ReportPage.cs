using System.Security.Cryptography;
using System.Text;

namespace EvalLoop.Reporting.Html;

/// <summary>
/// The document around a report: UTF-8, the inlined stylesheet, and a Content-Security-Policy that lets no resource
/// load from anywhere and allows only the report's own script (by its hash). That is a second line of defence behind
/// escaping: even markup that slipped through could neither run a script (inline handlers included) nor fetch anything.
/// </summary>
internal static class ReportPage
{
    public static void WriteStart(HtmlWriter html, string title, string? script)
    {
        ArgumentNullException.ThrowIfNull(html);
        var scriptSource = script is null ? "'none'" : $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'";
        html.Write($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {scriptSource}; base-uri 'none'; form-action 'none'">
            <meta name="generator" content="EvalLoop">
            <title>{title}</title>
            <style>
            {HtmlFragment.Trusted(ReportAssets.Stylesheet)}</style>
            </head>
            <body>
            <main>

            """);
    }

    /// <summary>Closes the document, with <paramref name="script"/> (this library's own code) inline at the end of the body.</summary>
    public static void WriteEnd(HtmlWriter html, string generatedBy, string? script)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Write($"""
            <footer>{generatedBy}</footer>
            </main>

            """);
        if (script is not null)
        {
            // The hash in the policy covers exactly the characters between the tags.
            html.Inner.Write("<script>");
            html.Inner.Write(script);
            html.Inner.Write("</script>\n");
        }

        html.Inner.Write("</body>\n</html>\n");
    }
}
