namespace EvalLoop.Cli.Hosting;

/// <summary>A problem with how the command was called; exits with <see cref="ExitCodes.UsageOrInput"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
