using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvalLoop.Core.Runs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Regressions;

/// <summary>
/// POSTs a regression to <see cref="EvalLoopServiceOptions.WebhookUrl"/> as JSON (<see cref="RegressionMessage"/>),
/// through a named <see cref="HttpClient"/> with the standard resilience handler (retries, timeouts). A failure is
/// logged, never thrown: the job that found the regression stands. The URL is never logged (it often holds a secret).
/// </summary>
public sealed partial class RegressionWebhook(IHttpClientFactory clients, EvalLoopServiceOptions options, IServer server, ILogger<RegressionWebhook> logger)
{
    /// <summary>The name of the webhook's <see cref="HttpClient"/>.</summary>
    public const string ClientName = "evalloop-webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Sends <paramref name="regressions"/> of <paramref name="run"/>; does nothing without a webhook URL.</summary>
    public async Task NotifyAsync(RunRecord run, IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(regressions);
        if (options.WebhookUrl is not { } url || regressions.Count == 0)
        {
            return;
        }

        var message = new RegressionMessage(
            "regression",
            run.ExperimentName,
            run.Id,
            regressions[0].BaselineRunId,
            regressions.Select(r => new RegressionMessage.ScorerDrop(r.Scorer, r.BaselinePassRate, r.PassRate, r.PValue)).ToList(),
            ReportUrl(run.Id));
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.PostAsJsonAsync(new Uri(url), message, Json, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogSent(logger, run.Id, (int)response.StatusCode);
            }
            else
            {
                LogRefused(logger, (int)response.StatusCode, new Uri(url).Host, run.Id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only the exception's type and the host: messages can quote the URL (normalised, so not replaceable), and its path or query may hold a secret.
            LogFailed(logger, run.Id, ex.GetType().Name, new Uri(url).Host);
        }
    }

    private string? ReportUrl(string runId)
    {
        var root = options.PublicUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return root is null ? null : $"{root.TrimEnd('/')}/runs/{Uri.EscapeDataString(runId)}/report";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the regression of run {RunId} to the webhook ({Status})")]
    private static partial void LogSent(ILogger logger, string runId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook at {Host} answered {Status} to the regression of run {RunId}")]
    private static partial void LogRefused(ILogger logger, int status, string host, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the regression of run {RunId} to the webhook at {Host}: {Error}")]
    private static partial void LogFailed(ILogger logger, string runId, string error, string host);
}
