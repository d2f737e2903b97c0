using System.Net.Http;
using System.Text.Json;

namespace EvalLoop.Core.Running;

/// <summary>
/// Maps a failed model call to a short error kind that reports can group by. It inspects the exception chain rather
/// than provider types, so the runner stays independent of any SDK.
/// </summary>
public static class ModelErrorClassifier
{
    public static string Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                case OperationCanceledException:
                    return "timeout";
                case JsonException:
                    return "malformed_response";
                case Models.ModelConfigurationException:
                    return "configuration";
            }

            // System.ClientModel.ClientResultException (OpenAI SDK) carries the HTTP status in a Status property.
            if (e.GetType().GetProperty("Status")?.GetValue(e) is int status and > 0)
            {
                return $"http_{status}";
            }

            if (e is HttpRequestException http)
            {
                return http.StatusCode is { } code ? $"http_{(int)code}" : "network";
            }

            if (e.GetType().Name.Contains("Timeout", StringComparison.Ordinal))
            {
                return "timeout";
            }
        }

        return "provider";
    }
}
