namespace EvalLoop.TestUtilities;

/// <summary>A request the loopback server received, as recorded for assertions.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path including the prefix, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="QueryString">Raw query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers (case-insensitive names; repeated values joined with a comma).</param>
/// <param name="Body">The request body as UTF-8 text.</param>
/// <param name="ReceivedAt">When the server finished reading the request.</param>
public sealed record LoopbackRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The value of header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
