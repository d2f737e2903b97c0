namespace EvalLoop.Models;

/// <summary>Checks <see cref="ModelProviderFactoryOptions"/> at start-up.</summary>
public static class ModelProviderFactoryOptionsValidator
{
    /// <summary>The problems found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(ModelProviderFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.GetEnvironmentVariable is null)
        {
            problems.Add("GetEnvironmentVariable must be set.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add("RetryBaseDelay must not be negative.");
        }

        if (options.MaxRetryDelay < options.RetryBaseDelay)
        {
            problems.Add("MaxRetryDelay must be at least RetryBaseDelay.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            problems.Add("MaxRetryAfter must not be negative.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(ModelProviderFactoryOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid model provider factory options: " + string.Join(" ", problems), nameof(options));
        }
    }
}
