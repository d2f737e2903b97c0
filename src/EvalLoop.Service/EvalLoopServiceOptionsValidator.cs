using System.Net;

namespace EvalLoop.Service;

/// <summary>Checks <see cref="EvalLoopServiceOptions"/> at start-up: a host never starts open to the network.</summary>
public static class EvalLoopServiceOptionsValidator
{
    /// <summary>The problems with <paramref name="options"/>; empty when it can start.</summary>
    public static IReadOnlyList<string> Validate(EvalLoopServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Directory.Exists(options.Workspace))
        {
            errors.Add($"workspace folder not found: {options.Workspace}");
        }

        var urls = SplitUrls(options.Urls);
        if (urls.Count == 0)
        {
            errors.Add("--urls names no address");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"--urls: '{url}' is not an http(s) address");
            }
            else if (!IsLoopback(uri) && string.IsNullOrEmpty(options.Token))
            {
                errors.Add($"--urls: '{url}' is not a loopback address; binding to it needs a token (--token or EVALLOOP_TOKEN)");
            }
        }

        foreach (var host in options.ExtraAllowedHosts)
        {
            if (host == "*" && string.IsNullOrEmpty(options.Token))
            {
                errors.Add("--allowed-hosts: '*' answers to any host name, which needs a token (--token or EVALLOOP_TOKEN)");
            }
            else if (host != "*" && (string.IsNullOrWhiteSpace(host) || host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal)))
            {
                errors.Add($"--allowed-hosts: '{host}' is not a host name (give names or addresses such as build-box or 10.0.0.5, no scheme or path)");
            }
        }

        if (options.Token is { Length: > 0 and < 16 })
        {
            errors.Add("--token must be at least 16 characters");
        }

        if (options.RegressionAlpha is <= 0 or >= 1 || double.IsNaN(options.RegressionAlpha))
        {
            errors.Add("the regression alpha must be between 0 and 1 (exclusive)");
        }

        if (options.WatchDebounce < TimeSpan.Zero)
        {
            errors.Add("the experiments watch debounce must not be negative");
        }

        foreach (var (name, value, secret) in new[] { ("--webhook", options.WebhookUrl, true), ("--public-url", options.PublicUrl, false) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                // A webhook URL often carries a secret: it is not repeated in the message.
                errors.Add(secret ? $"{name}: the value is not an http(s) address" : $"{name}: '{value}' is not an http(s) address");
            }
        }

        return errors;
    }

    /// <summary>The addresses in a semicolon-separated <c>--urls</c> value.</summary>
    public static IReadOnlyList<string> SplitUrls(string urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
