using System.Text.RegularExpressions;

namespace EvalLoop.Suggestions.Text;

/// <summary>
/// Instructions about an answer's form that are checked without a model: how a prompt or a goal requirement asks for
/// them (<see cref="AsksForLowerCase"/>, <see cref="AsksForOneWord"/>) and whether an answer keeps them. Each check is
/// its <c>regex</c> scorer pattern (<see cref="LowerCasePattern"/>, <see cref="OneWordPattern"/>) matched the way the
/// <c>regex</c> scorer matches it (culture-invariant, case-sensitive), so a strategy that flags an answer in process
/// and a scorer it proposes agree on every answer, in any script.
/// </summary>
public static partial class InstructionChecks
{
    /// <summary>No upper-case letter in any script (Unicode category Lu, what <see cref="char.IsUpper(char)"/> tests).</summary>
    public const string LowerCasePattern = @"^\P{Lu}*$";

    /// <summary>One run of non-white-space characters, white space (Unicode, as <see cref="char.IsWhiteSpace(char)"/>) around it allowed.</summary>
    public const string OneWordPattern = @"^\s*\S+\s*$";

    /// <summary>Whether <paramref name="text"/> asks for answers in lower case.</summary>
    public static bool AsksForLowerCase(string text) => LowerCaseWords().IsMatch(text);

    /// <summary>Whether <paramref name="text"/> asks for a one-word answer.</summary>
    public static bool AsksForOneWord(string text) => OneWordWords().IsMatch(text);

    /// <summary>Whether <paramref name="answer"/> matches <see cref="LowerCasePattern"/>.</summary>
    public static bool IsLowerCase(string answer) => LowerCaseAnswer().IsMatch(answer);

    /// <summary>Whether <paramref name="answer"/> matches <see cref="OneWordPattern"/> (an empty answer is not one word).</summary>
    public static bool IsOneWord(string answer) => OneWordAnswer().IsMatch(answer);

    /// <summary>The number of runs of non-white-space characters in <paramref name="text"/>.</summary>
    public static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"\blower[- ]?case\b", RegexOptions.IgnoreCase)]
    private static partial Regex LowerCaseWords();

    [GeneratedRegex(@"\b(one|single|a) word\b", RegexOptions.IgnoreCase)]
    private static partial Regex OneWordWords();

    [GeneratedRegex(LowerCasePattern, RegexOptions.CultureInvariant)]
    private static partial Regex LowerCaseAnswer();

    [GeneratedRegex(OneWordPattern, RegexOptions.CultureInvariant)]
    private static partial Regex OneWordAnswer();
}
