using System.Globalization;

namespace EvalLoop.Benchmarks;

/// <summary>The options of <c>evalloop bench analyzer</c>.</summary>
internal sealed record AnalyzerBenchmarkOptions
{
    public const string Usage =
        """
        Usage: ./evalloop bench analyzer [options]

        Analyses synthetic runs of N failing cases in-process, through the real stores (SQLite in a temp folder) and
        the offline embedding generator: once with a cold embedding cache, then again with every vector cached. The
        failures are planted (wrong-but-valid label confusions, answers outside the label set, empty answers, provider
        errors; inputs are BANKING77 messages), so the purity of the clusters against the planted kinds is printed too.

        Options:
          --cases N[,N...]   failing cases per run (default 1000,10000); each run also has N/4 passing cases
          --repeat K         timed analyses per configuration; the figures are medians (default 3)
          --cores N          pin the process to the first N CPUs (default: all; this machine has {cpus})
          --keep             keep the temporary database (its path is printed)

        Targets (printed PASS/MISS; they do not change the exit code): up to 1,000 failures, a cold analysis including
        embeddings <= 20 s and a cached one <= 2 s; up to 10,000 failures, a cached analysis <= 5 s. Time is wall-clock
        of FailureAnalyzer.AnalyzeAsync (load from SQLite, embed, cluster, describe, save), after a JIT warm-up on a
        separate run. Exit code: 0, 2 for bad arguments, 3 when an analysis fails.
        """;

    public IReadOnlyList<int> Cases { get; init; } = [1_000, 10_000];

    public int Repeat { get; init; } = 3;

    public int? Cores { get; init; }

    public bool Keep { get; init; }

    public bool Help { get; init; }

    public static string UsageText => Usage.Replace("{cpus}", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static AnalyzerBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AnalyzerBenchmarkOptions();
        var cases = new List<int>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    options = options with { Help = true };
                    break;
                case "--keep":
                    options = options with { Keep = true };
                    break;
                case "--cases":
                    foreach (var part in Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        cases.Add(ParseInt(arg, part.Replace("_", string.Empty, StringComparison.Ordinal), 1, 1_000_000));
                    }

                    break;
                case "--repeat":
                    options = options with { Repeat = ParseInt(arg, Value(args, ref i), 1, 100) };
                    break;
                case "--cores":
                    options = options with { Cores = ParseInt(arg, Value(args, ref i), 1, Environment.ProcessorCount) };
                    break;
                default:
                    throw new BenchUsageException($"unknown option '{arg}' (see ./evalloop bench analyzer --help)");
            }
        }

        return cases.Count > 0 ? options with { Cases = cases } : options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        i + 1 < args.Count ? args[++i] : throw new BenchUsageException($"{args[i]} needs a value");

    private static int ParseInt(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new BenchUsageException($"{option} must be a whole number from {min} to {max}, found '{value}'");
}
