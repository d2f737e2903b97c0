using System.Reflection;

namespace EvalLoop.Suggestions.Llm;

/// <summary>The suggester's meta-prompts: Semantic Kernel prompt functions in <c>Llm/Prompts/</c>, embedded.</summary>
internal static class LlmPrompts
{
    /// <summary>Loads <c>Llm/Prompts/{name}.yaml</c>.</summary>
    public static Core.Prompts.PromptFunction Load(string name) =>
        Core.Prompts.PromptFunction.Load(Assembly.GetExecutingAssembly(), $"EvalLoop.Suggestions.Llm.Prompts.{name}.yaml");
}
