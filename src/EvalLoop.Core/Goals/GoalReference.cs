using System.Text.RegularExpressions;

namespace EvalLoop.Core.Goals;

/// <summary>
/// How an experiment's <c>goal:</c> value is read. The rule: a value that is a single name (letters, digits, '-', '_',
/// '.'; no spaces) names a goal file <c>experiments/goals/NAME.yaml</c>, which must exist; any other value (it has a
/// space) is free text, as before goal files existed. So <c>goal: banking77-routing</c> links a goal, and
/// <c>goal: "Route each message ..."</c> stays a note.
/// </summary>
public static partial class GoalReference
{
    /// <summary>The goal file name <paramref name="goal"/> refers to, or null when it is free text.</summary>
    public static string? GoalName(string? goal) =>
        goal is not null && NamePattern().IsMatch(goal) ? goal : null;

    /// <summary>Whether <paramref name="name"/> is usable as a goal name (and file name).</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.\\-]*$")]
    private static partial Regex NamePattern();
}
