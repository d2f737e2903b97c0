using System.Reflection;
using EvalLoop.Core.Prompts;

namespace EvalLoop.Scoring.ModelGraded;

/// <summary>The judges' prompts: Semantic Kernel prompt functions in <c>ModelGraded/Prompts/</c>, embedded.</summary>
public static class JudgePrompt
{
    /// <summary>Loads <c>ModelGraded/Prompts/{name}.yaml</c>; judges run at its temperature (0) and max tokens.</summary>
    public static PromptFunction Load(string name) =>
        PromptFunction.Load(Assembly.GetExecutingAssembly(), $"EvalLoop.Scoring.ModelGraded.Prompts.{name}.yaml");
}
