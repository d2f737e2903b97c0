namespace EvalLoop.Cli.Output;

/// <summary>
/// Messages for stderr, written as plain lines so they survive redirection and never mix with JSON on stdout.
/// </summary>
public static class ErrorOutput
{
    private static readonly bool Colour = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public static void Error(string message) => Write("error", "\u001b[31m", message);

    public static void Warning(string label, string message) => Write(label, "\u001b[33m", message);

    public static void Line(string message) => Console.Error.WriteLine(message);

    private static void Write(string label, string colour, string message) =>
        Console.Error.WriteLine(Colour ? $"{colour}{label}:\u001b[0m {message}" : $"{label}: {message}");
}
