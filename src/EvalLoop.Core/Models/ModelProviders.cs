namespace EvalLoop.Core.Models;

/// <summary>The provider names an experiment may use.</summary>
public static class ModelProviders
{
    public const string Offline = "offline";
    public const string OpenAi = "openai";
    public const string AzureOpenAi = "azure-openai";

    public static IReadOnlyList<string> All { get; } = [Offline, OpenAi, AzureOpenAi];
}
