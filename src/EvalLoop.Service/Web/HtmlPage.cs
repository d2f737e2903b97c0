using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace EvalLoop.Service.Web;

/// <summary>
/// A server-rendered page: everything that comes from data, files or models goes through <see cref="E(string)"/> (HTML
/// encoding); a Content-Security-Policy lets no script run and nothing load, so even a missed escape executes nothing.
/// </summary>
public sealed class HtmlPage(HttpContext context, IAntiforgery antiforgery, string title)
{
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly StringBuilder _body = new();

    /// <summary>HTML-encodes <paramref name="text"/>.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A link to a run's page, its id as the text.</summary>
    public static string RunLink(string runId) => $"<a href=\"/runs/{E(Uri.EscapeDataString(runId))}\">{E(runId)}</a>";

    /// <summary>HTML-encodes an invariant-culture rendering of <paramref name="value"/>.</summary>
    public static string E(IFormattable? value, string? format = null) => E(value?.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>Appends trusted markup (only literals and encoded values).</summary>
    public HtmlPage Raw(string html)
    {
        _body.Append(html);
        return this;
    }

    /// <summary>A form that posts to <paramref name="action"/> with the anti-forgery token; <paramref name="fields"/> is trusted markup.</summary>
    public HtmlPage Form(string action, string button, string fields = "")
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        _body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{E(action)}\"><input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">{fields}<button type=\"submit\">{E(button)}</button></form>");
        return this;
    }

    /// <summary>The whole page as a result, with its security headers.</summary>
    public IResult ToResult(int statusCode = StatusCodes.Status200OK)
    {
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}} · EvalLoop</title>
            <style>
            body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2329} header{background:#1d2329;padding:.6em 1.2em} header a{color:#fff;margin-right:1.2em;text-decoration:none}
            main{padding:1em 1.2em;max-width:80em} table{border-collapse:collapse} td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
            pre{background:#f5f5f5;padding:.6em;overflow:auto;white-space:pre-wrap} form{display:inline-block;margin:.3em .6em .3em 0} .met{color:#17692c} .missed,.error{color:#a31515}
            .status{display:inline-block;border-radius:1em;padding:0 .6em;font-weight:600;font-size:.9em} .status-met{background:#e3f4e6;color:#17692c} .status-missed{background:#fbe5e5;color:#a31515} .status-regressed{background:#a31515;color:#fff} .status-uncovered{background:#fff3d6;color:#7a5200} .status-no-target{background:#e8eef7;color:#24466b} .status-not-run,.status-invalid{background:#eceff1;color:#455a64}
            figure{margin:1em 0} figure svg{max-width:100%;height:auto} figcaption{color:#555;font-size:.9em} .muted{color:#666}
            pre.diff{white-space:pre} pre.diff span{display:block;min-height:1.2em} .diff-add{background:#e6ffec;color:#116329} .diff-del{background:#ffebe9;color:#a31515} .diff-hunk{color:#0550ae;background:#ddf4ff} .diff-file{font-weight:600}
            .effect-significant{color:#17692c;font-weight:600} .effect-not-significant{color:#666} .effect-regression{color:#a31515;font-weight:600} tr.regressed td{background:#fbe5e5} .notice{font-weight:600} details.raw{margin-top:1.5em}
            </style></head><body><header><a href="/">Experiments</a><a href="/runs">Runs</a><a href="/compare">Compare</a><a href="/goals">Goals</a><a href="/suggestions">Suggestions</a><a href="/schedules">Schedules</a><a href="/openapi/v1.json">API</a></header>
            <main><h1>{{E(title)}}</h1>
            {{_body}}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
