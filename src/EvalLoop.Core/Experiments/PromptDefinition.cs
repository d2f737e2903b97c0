namespace EvalLoop.Core.Experiments;

/// <summary>The prompt templates: an optional system message and the user message, with <c>{{variables}}</c>.</summary>
public sealed record PromptDefinition(string? System, string User);
