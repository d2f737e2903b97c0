namespace EvalLoop.Scoring;

/// <summary>Checks <see cref="BuiltInScorerFactoryOptions"/> at start-up.</summary>
public static class BuiltInScorerFactoryOptionsValidator
{
    /// <exception cref="ArgumentException">The workspace folder does not exist.</exception>
    public static void ThrowIfInvalid(BuiltInScorerFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WorkspaceRoot is { } root && !Directory.Exists(root))
        {
            throw new ArgumentException($"WorkspaceRoot '{root}' is not a folder.", nameof(options));
        }
    }
}
