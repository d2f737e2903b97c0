namespace EvalLoop.Core.Workspace;

/// <summary>
/// A problem in a file the user owns (dataset, experiment, scorer). The message names the file, the line and the
/// field, in the <c>file:line: field: problem</c> form editors and CI logs link to.
/// </summary>
public sealed class WorkspaceFileException : Exception
{
    public WorkspaceFileException(string filePath, int? line, string? field, string problem, Exception? inner = null)
        : base(Format(filePath, line, field, problem), inner)
    {
        FilePath = filePath;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    public int? Line { get; }

    public string? Field { get; }

    public string Problem { get; }

    private static string Format(string filePath, int? line, string? field, string problem)
    {
        var location = line is { } l ? $"{filePath}:{l}" : filePath;
        return field is null ? $"{location}: {problem}" : $"{location}: {field}: {problem}";
    }
}
