using System.ClientModel.Primitives;

namespace EvalLoop.Models.Http;

/// <summary>Adds one query parameter (Azure's <c>api-version</c>) to every request the SDK sends.</summary>
internal sealed class QueryParameterPolicy(string name, string value) : PipelinePolicy
{
    private readonly string _pair = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddParameter(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddParameter(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void AddParameter(PipelineMessage message)
    {
        if (message.Request.Uri is not { } uri)
        {
            return;
        }

        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?"
            ? _pair
            : builder.Query.TrimStart('?') + "&" + _pair;
        message.Request.Uri = builder.Uri;
    }
}
