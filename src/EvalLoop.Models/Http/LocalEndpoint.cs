using System.Net;
using System.Net.Sockets;

namespace EvalLoop.Models.Http;

/// <summary>
/// Decides whether an endpoint is a server of the user's own (Ollama, vLLM, llama.cpp, LM Studio on this machine or the
/// local network) that may run without an API key.
/// </summary>
internal static class LocalEndpoint
{
    public static bool IsLocal(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.IsLoopback)
        {
            return true;
        }

        var host = endpoint.IdnHost;
        if (IPAddress.TryParse(host, out var address))
        {
            return IsPrivate(address);
        }

        // Single-label names ("ollama" in docker compose) and reserved local suffixes never reach a public service.
        return !host.Contains('.', StringComparison.Ordinal)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".lan", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".home.arpa", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254);
        }

        // fc00::/7 unique local, fe80::/10 link local.
        return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal;
    }
}
