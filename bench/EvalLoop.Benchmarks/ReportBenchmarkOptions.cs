using System.Globalization;

namespace EvalLoop.Benchmarks;

/// <summary>Options of <c>./evalloop bench report</c>.</summary>
internal sealed record ReportBenchmarkOptions
{
    public const string UsageText =
        """
        Usage: ./evalloop bench report [--cases N] [--history N] [--repeat K] [--no-cli] [--keep]

        Stores a synthetic run of N cases (BANKING77 messages, two scorers, metadata, 8 failure clusters, suggestions)
        and N-case earlier runs for the trend in a fresh SQLite database, then times its HTML report: the first render in
        the process (JIT, Skia's start-up), K warm renders, the diff report against the previous run, and the whole
        `./evalloop report` command as a user runs it. Prints the figures against the targets (<= 3 s, <= 10 MB).

          --cases N     cases in the run (default 10000)
          --history N   earlier runs of the experiment, for the trend chart (default 4)
          --repeat K    warm renders to take the median of (default 3)
          --no-cli      skip timing the ./evalloop report command
          --keep        keep the database and the reports (the folder is printed)
        """;

    public int Cases { get; init; } = 10_000;

    public int History { get; init; } = 4;

    public int Repeat { get; init; } = 3;

    public bool Cli { get; init; } = true;

    public bool Keep { get; init; }

    public bool Help { get; init; }

    public static ReportBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ReportBenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--cases" => options with { Cases = Number(args, ++i, 1, 1_000_000) },
                "--history" => options with { History = Number(args, ++i, 0, 100) },
                "--repeat" => options with { Repeat = Number(args, ++i, 1, 100) },
                "--no-cli" => options with { Cli = false },
                "--keep" => options with { Keep = true },
                "-h" or "--help" => options with { Help = true },
                _ => throw new BenchUsageException($"unknown option '{args[i]}' for bench report; see ./evalloop bench report --help"),
            };
        }

        return options;
    }

    private static int Number(IReadOnlyList<string> args, int index, int min, int max)
    {
        if (index >= args.Count || !int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new BenchUsageException($"{args[index - 1]} takes a number from {min} to {max}");
        }

        return value;
    }
}
