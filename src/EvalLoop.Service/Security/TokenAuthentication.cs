using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace EvalLoop.Service.Security;

/// <summary>
/// Guards the host. With a token, every request but <c>/login</c> must carry it, as <c>Authorization: Bearer TOKEN</c>
/// (scripts) or as the session cookie <c>/login</c> sets after the browser sends the token once; without it, API calls
/// get 401 and pages redirect to <c>/login</c>. Whether or not there is a token, a state-changing request (not GET, HEAD
/// or OPTIONS) that the browser marks as coming from another origin is refused (403), and a state-changing API call
/// authorised by the cookie alone must prove it comes from this origin (an <c>Origin</c> header naming it, or
/// <c>Sec-Fetch-Site: same-origin</c>): the browser sends a SameSite=Strict cookie from other ports of the same host and
/// from sibling subdomains too, so the cookie by itself does not show who asked. The bearer token does, since a browser
/// never adds it on its own. API reads (GET) accept the cookie: another origin cannot read their answers.
/// </summary>
public sealed class TokenAuthentication
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "evalloop_session";

    private readonly byte[]? _token;
    private readonly string? _session;
    private readonly Uri? _publicUrl;

    /// <param name="token">The token; null or empty for none (loopback only).</param>
    /// <param name="publicUrl">The address people reach the service at (<c>--public-url</c>), an origin of its own besides the request's Host.</param>
    public TokenAuthentication(string? token, string? publicUrl = null)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _token = Encoding.UTF8.GetBytes(token);
            // The cookie carries a per-process value derived from the token, never the token itself; restarting the host ends every session.
            _session = Convert.ToHexString(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), _token));
        }

        _publicUrl = Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>Whether the host has a token.</summary>
    public bool Enabled => _token is not null;

    /// <summary>Whether <paramref name="candidate"/> is the token (constant time).</summary>
    public bool IsToken(string? candidate) =>
        _token is not null && candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    /// <summary>The value of the session cookie that stands for the token.</summary>
    public string SessionValue => _session ?? throw new InvalidOperationException("The host has no token.");

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var path = request.Path;
        var isApi = path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/openapi", StringComparison.Ordinal);
        var changesState = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        var bearer = HasBearerToken(request);
        if (changesState && !bearer && IsCrossOrigin(request, isApi))
        {
            await RefuseCrossOriginAsync(context, isApi);
            return;
        }

        if (_token is null || bearer || path.StartsWithSegments("/login", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (HasSessionCookie(request))
        {
            // Pages' forms also carry an anti-forgery token; an API call has nothing but the cookie, so it must show its origin.
            if (isApi && changesState && !IsSameOrigin(request))
            {
                await RefuseCrossOriginAsync(context, isApi);
                return;
            }

            await next(context);
            return;
        }

        if (isApi)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = "send the token as Authorization: Bearer TOKEN" }, context.RequestAborted);
            return;
        }

        context.Response.Redirect("/login");
    }

    private static async Task RefuseCrossOriginAsync(HttpContext context, bool isApi)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        const string Message = "a request from another origin may not change anything; scripts send Authorization: Bearer TOKEN";
        if (isApi)
        {
            await context.Response.WriteAsJsonAsync(new { error = Message }, context.RequestAborted);
        }
        else
        {
            await context.Response.WriteAsync(Message, context.RequestAborted);
        }
    }

    private bool HasBearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && IsToken(header["Bearer ".Length..].Trim());
    }

    private bool HasSessionCookie(HttpRequest request) =>
        _session is not null && request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(_session));

    /// <summary>
    /// Whether the browser says the request comes from another origin. A request with neither header is not from a
    /// browser page (a browser sends <c>Origin</c> on every cross-origin POST), so it does not count. <c>Origin: null</c>
    /// (a sandboxed frame, a redirect) counts for the API; for pages it does not, since their <c>Referrer-Policy:
    /// no-referrer</c> makes the browser send it on the pages' own form posts, which carry an anti-forgery token.
    /// </summary>
    private bool IsCrossOrigin(HttpRequest request, bool nullOriginIsCross)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && (origin == "null" ? nullOriginIsCross : !IsOwnOrigin(origin, request));
    }

    /// <summary>Whether the browser says, positively, that the request comes from this service's own origin.</summary>
    private bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        return site is not ("cross-site" or "same-site") && (origin.Length > 0 ? IsOwnOrigin(origin, request) : site == "same-origin");
    }

    /// <summary>
    /// Whether <paramref name="origin"/> is the request's Host (which host filtering has checked) or the public URL.
    /// Host and port are compared, not the scheme: one port speaks one scheme, and a TLS-terminating proxy makes the
    /// request's own scheme http.
    /// </summary>
    private bool IsOwnOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        var host = request.Host;
        // A Host without a port means the scheme's default one, which is what Uri.Port gives for an Origin without one.
        var hostPort = host.Port ?? (uri.Scheme == Uri.UriSchemeHttps ? 443 : 80);
        var sameAsHost = host.HasValue && string.Equals(host.Host, uri.Host, StringComparison.OrdinalIgnoreCase) && hostPort == uri.Port;
        return sameAsHost || (_publicUrl is not null && string.Equals(_publicUrl.Host, uri.Host, StringComparison.OrdinalIgnoreCase) && _publicUrl.Port == uri.Port);
    }
}
