using System.Globalization;

namespace EvalLoop.Benchmarks;

/// <summary>The options of <c>evalloop bench runner</c>.</summary>
internal sealed record RunnerBenchmarkOptions
{
    public const string Usage =
        """
        Usage: ./evalloop bench runner [options]

        Runs N cases through the real CLI (`dotnet artifacts/cli/evalloop.dll run experiments/bench.yaml --json --no-cache`)
        against a loopback OpenAI-compatible endpoint with a fixed latency, and prints the process's wall time against
        the ideal (cases x latency / concurrency), its peak RSS and the runner's own wall_seconds.

        Options:
          --cases N[,N...]        case counts, repeatable (default 1000,10000)
          --latency-ms MS         the endpoint's fixed latency per request (default 50)
          --concurrency N         the experiment's concurrency (default 16)
          --repeat K              runs per configuration; the figures are medians (default 1)
          --server-delay MODE     precise (default): an accurate latency added in front of the loopback server;
                                  task-delay: the loopback server's own Task.Delay latency, as the tests use it
          --cli PATH              the evalloop.dll to measure (default: artifacts/cli/evalloop.dll, built by ./evalloop)
          --env NAME=VALUE        set an environment variable for the measured CLI, repeatable (e.g. DOTNET_TieredPGO=0)
          --reuse-workspace       measure runs on a workspace primed by an unmeasured run (database and dataset snapshot
                                  exist, as on a user's second run); by default every run gets a fresh workspace
          --keep                  keep the temporary workspaces (their paths are printed)

        Targets (printed PASS/MISS, they do not change the exit code): process wall <= 1.10 x ideal; peak RSS <= 200 MB
        up to 1,000 cases and <= 300 MB above (MB = 2^20 bytes). Exit code: 0 when every run completed every case with no
        error, 2 for bad arguments, 3 for a broken run.
        """;

    public IReadOnlyList<int> Cases { get; init; } = [1_000, 10_000];

    public double LatencyMs { get; init; } = 50;

    public int Concurrency { get; init; } = 16;

    public int Repeat { get; init; } = 1;

    public ServerDelayMode ServerDelay { get; init; } = ServerDelayMode.Precise;

    public string? CliPath { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool Keep { get; init; }

    public bool ReuseWorkspace { get; init; }

    public bool Help { get; init; }

    public static RunnerBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerBenchmarkOptions();
        var cases = new List<int>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
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
                case "--reuse-workspace":
                    options = options with { ReuseWorkspace = true };
                    break;
                case "--cases":
                    foreach (var part in Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        cases.Add(ParseInt(arg, part.Replace("_", string.Empty, StringComparison.Ordinal), 1, 10_000_000));
                    }

                    break;
                case "--latency-ms":
                    options = options with { LatencyMs = ParseDouble(arg, Value(args, ref i), 0, 60_000) };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = ParseInt(arg, Value(args, ref i), 1, 256) };
                    break;
                case "--repeat":
                    options = options with { Repeat = ParseInt(arg, Value(args, ref i), 1, 100) };
                    break;
                case "--server-delay":
                    options = options with
                    {
                        ServerDelay = Value(args, ref i) switch
                        {
                            "precise" => ServerDelayMode.Precise,
                            "task-delay" => ServerDelayMode.TaskDelay,
                            var other => throw new BenchUsageException($"--server-delay must be precise or task-delay, found '{other}'"),
                        },
                    };
                    break;
                case "--cli":
                    options = options with { CliPath = Path.GetFullPath(Value(args, ref i)) };
                    break;
                case "--env":
                    var pair = Value(args, ref i);
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new BenchUsageException($"--env takes NAME=VALUE, found '{pair}'");
                    }

                    environment[pair[..equals]] = pair[(equals + 1)..];
                    break;
                default:
                    throw new BenchUsageException($"unknown option '{arg}' (see --help)");
            }
        }

        return options with
        {
            Cases = cases.Count > 0 ? cases : options.Cases,
            Environment = environment,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new BenchUsageException($"{args[i]} needs a value");
        }

        return args[++i];
    }

    private static int ParseInt(string option, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchUsageException($"{option} must be a whole number from {min} to {max}, found '{text}'");

    private static double ParseDouble(string option, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchUsageException($"{option} must be a number from {min} to {max}, found '{text}'");
}
