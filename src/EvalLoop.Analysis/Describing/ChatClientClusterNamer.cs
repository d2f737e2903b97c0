using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Analysis.Describing;

/// <summary>
/// Asks a language model for a cluster's name and one-line description, grounded in the cluster's signals (kind,
/// confusion pairs, distinctive terms, the heuristic name) and its representative cases. Any problem (a failed call, an
/// answer that is not the asked-for JSON) keeps the heuristic name: naming never fails an analysis.
/// </summary>
/// <remarks>Only used when a real model is configured; the offline model cannot write free text.</remarks>
public sealed partial class ChatClientClusterNamer(IChatClient client, ILogger<ChatClientClusterNamer>? logger = null) : IClusterNamer
{
    public const int MaxNameLength = 80;

    public const int MaxDescriptionLength = 300;

    private const int MaxExampleLength = 300;

    private const string Instructions =
        """
        You name failure patterns found when evaluating an AI system. You get one cluster of failing test cases: its
        signals and a few representative cases. Reply with one JSON object and nothing else:
        {"name": "<at most 8 words naming what goes wrong>", "description": "<one sentence: what these cases have in common and how the system fails them>"}
        Be specific and use only what the cases show; keep label names exactly as written.
        """;

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async ValueTask<ClusterName?> NameAsync(FailureCluster cluster, IReadOnlyList<FailureCase> representatives, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(representatives);
        try
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, Prompt(cluster, representatives))],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 200 },
                cancellationToken);
            var name = Parse(response.Text);
            if (name is null)
            {
                LogUnusableAnswer(_logger, cluster.Id);
            }

            return name;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogNamingFailed(_logger, cluster.Id, ex);
            return null;
        }
    }

    /// <summary>The user message: the cluster's signals, then its representative cases.</summary>
    internal static string Prompt(FailureCluster cluster, IReadOnlyList<FailureCase> representatives)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Cluster: {cluster.Size} failing cases ({ClusterDescriber.Percent(cluster.Share)} of all failures), kind: {cluster.Kind}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Heuristic name: {cluster.Name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Heuristic description: {cluster.Description}");
        if (cluster.ConfusionPairs.Count > 0)
        {
            text.AppendLine("Most frequent (expected -> answered) pairs: " + string.Join("; ", cluster.ConfusionPairs.Take(5).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Expected} -> {p.Output} x{p.Count}"))));
        }

        if (cluster.TopTerms.Count > 0)
        {
            text.AppendLine("Distinctive words of the inputs: " + string.Join(", ", cluster.TopTerms));
        }

        if (cluster.ScorerFailures.Count > 0)
        {
            text.AppendLine("Failing scorers: " + string.Join("; ", cluster.ScorerFailures.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Scorer} failed {s.Failed}{(s.MeanScore is { } m ? $" (mean {m:0.00})" : string.Empty)}"))));
        }

        text.AppendLine().AppendLine("Representative cases:");
        var number = 1;
        foreach (var example in representatives)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{number++}. input: {ClusterDescriber.Quote(example.Input, MaxExampleLength)}");
            if (example.Expected is { } expected)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"   expected: {ClusterDescriber.Quote(expected, MaxExampleLength)}");
            }

            text.AppendLine(example.ErrorKind is { } error
                ? $"   error: {error}: {ClusterDescriber.Quote(example.ErrorMessage ?? string.Empty, MaxExampleLength)}"
                : $"   answered: {ClusterDescriber.Quote(example.Output ?? string.Empty, MaxExampleLength)}");
        }

        return text.ToString();
    }

    /// <summary>The name and description in <paramref name="answer"/>, or null when it holds no usable JSON object.</summary>
    internal static ClusterName? Parse(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }

        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !json.RootElement.TryGetProperty("description", out var description) || description.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var nameText = ClusterDescriber.Quote(name.GetString()!, MaxNameLength);
            var descriptionText = ClusterDescriber.Quote(description.GetString()!, MaxDescriptionLength);
            return nameText.Length == 0 || descriptionText.Length == 0 ? null : new ClusterName(nameText, descriptionText);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: the model's name was not usable JSON; keeping the heuristic name")]
    private static partial void LogUnusableAnswer(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: naming with the model failed; keeping the heuristic name")]
    private static partial void LogNamingFailed(ILogger logger, string clusterId, Exception exception);
}
