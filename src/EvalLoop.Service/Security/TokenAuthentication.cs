using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace EvalLoop.Service.Security;

/// <summary>
/// Guards the host when it has a token: every request must carry it, as <c>Authorization: Bearer TOKEN</c> (scripts)
/// or as the session cookie <c>/login</c> sets after the browser sends the token once. Without it, API calls get 401
/// and pages redirect to <c>/login</c>. Without a token (loopback only), a state-changing API call from another
/// origin is refused (403), so a web page the user visits cannot drive the API through the browser.
/// </summary>
public sealed class TokenAuthentication
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "evalloop_session";

    private readonly byte[]? _token;
    private readonly string? _session;

    public TokenAuthentication(string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _token = Encoding.UTF8.GetBytes(token);
            // The cookie carries a per-process value derived from the token, never the token itself; restarting the host ends every session.
            _session = Convert.ToHexString(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), _token));
        }
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
        var path = context.Request.Path;
        var isApi = path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/openapi", StringComparison.Ordinal);
        if (_token is null)
        {
            if (isApi && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && IsCrossOrigin(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { error = "cross-origin requests may not change anything" }, context.RequestAborted);
                return;
            }

            await next(context);
            return;
        }

        if (path.StartsWithSegments("/login", StringComparison.Ordinal) || IsAuthenticated(context.Request))
        {
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

    private bool IsAuthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && IsToken(header["Bearer ".Length..].Trim()))
        {
            return true;
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(SessionValue));
    }

    private static bool IsCrossOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
