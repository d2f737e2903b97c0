using System.Net;

namespace EvalLoop.Service.Security;

/// <summary>
/// The Host header values the service answers to (host filtering; any other gets 400), against DNS rebinding: a page
/// at <c>evil.example</c> whose name is made to resolve to 127.0.0.1 reaches a loopback service as the same origin as
/// itself, so only the Host header shows it is not the service's own name.
/// </summary>
public static class AllowedHosts
{
    /// <summary>The names a loopback binding is reached at.</summary>
    public static IReadOnlyList<string> LoopbackNames { get; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The allowed hosts for <paramref name="options"/>: the host of each <c>--urls</c> address, the loopback names when
    /// one of them is loopback, and the host of <c>--public-url</c>. A wildcard address (<c>0.0.0.0</c>, <c>[::]</c>,
    /// <c>*</c>, <c>+</c>) allows every host (<c>*</c>), as does <c>--allowed-hosts '*'</c>, to which
    /// <c>--allowed-hosts</c> adds its names otherwise: such a binding needs a token, which every request but
    /// <c>/login</c> must carry, and the browser sends a rebound name none of its session cookies.
    /// </summary>
    public static IReadOnlyList<string> For(EvalLoopServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hosts = new List<string>();
        foreach (var url in EvalLoopServiceOptionsValidator.SplitUrls(options.Urls))
        {
            var host = HostOf(url);
            var address = host is null ? null : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (host is null or "*" or "+" || IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address))
            {
                return ["*"];
            }

            hosts.Add(host);
            if (host == "localhost" || (address is not null && IPAddress.IsLoopback(address)))
            {
                hosts.AddRange(LoopbackNames);
            }
        }

        if (options.PublicUrl is not null && Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var publicUrl))
        {
            hosts.Add(publicUrl.Host);
        }

        if (options.ExtraAllowedHosts.Contains("*"))
        {
            return ["*"];
        }

        hosts.AddRange(options.ExtraAllowedHosts.Select(h => h.Trim().ToLowerInvariant()));

        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The host of a Kestrel listen address as host filtering sees it (IPv6 in brackets), lower case; null when it cannot be read.</summary>
    private static string? HostOf(string url)
    {
        // Kestrel's wildcards are not valid URI hosts, so read the host by hand: scheme://host[:port][/path].
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = url[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = end <= 0 ? rest : rest[..end];
        return host.Length == 0 ? null : host.ToLowerInvariant();
    }
}
