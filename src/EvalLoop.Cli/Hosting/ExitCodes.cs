namespace EvalLoop.Cli.Hosting;

/// <summary>Process exit codes. CI tells a missed target (1) from a broken invocation (2) and a crash (3).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run finished but a target or <c>--fail-under</c> was missed.</summary>
    public const int TargetMissed = 1;

    /// <summary>Bad arguments or bad input files (the message names the file, line and field).</summary>
    public const int UsageOrInput = 2;

    /// <summary>The run could not complete (storage failure, unexpected error).</summary>
    public const int RuntimeError = 3;

    /// <summary>Interrupted by Ctrl-C; what finished is kept and the run can be resumed.</summary>
    public const int Interrupted = 130;
}
