using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace EvalLoop.Benchmarks;

/// <summary>
/// Runs a command and measures its wall time, peak resident set and CPU time.
/// </summary>
/// <remarks>
/// The peak resident set is the kernel's <c>ru_maxrss</c> of the child. <c>getrusage(RUSAGE_CHILDREN)</c> reports the
/// largest of all the children a process has reaped, so <see cref="MeasureInFreshProcessAsync"/> runs the command under
/// a fresh meter process (this program's hidden <c>meter</c> command) whose only child it is; the meter's own start-up
/// is not in the figures. <c>VmHWM</c> is also polled from <c>/proc</c> every 20 ms as a cross-check.
/// </remarks>
internal static class ChildProcessMeter
{
    public const string CommandName = "meter";

    private static readonly JsonSerializerOptions ReportOptions = new() { WriteIndented = true };
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="command"/> under a fresh meter process; its stdout and stderr go to the given files. A null value in <paramref name="environment"/> removes that variable.</summary>
    public static async Task<ProcessMeasurement> MeasureInFreshProcessAsync(
        IReadOnlyList<string> command,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        string stdoutPath,
        string stderrPath,
        CancellationToken cancellationToken = default)
    {
        var reportPath = Path.Combine(Path.GetDirectoryName(stdoutPath)!, "meter-report.json");
        var meter = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
        };
        meter.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EvalLoop.Benchmarks.dll"));
        foreach (var argument in new[] { CommandName, "--report", reportPath, "--stdout", stdoutPath, "--stderr", stderrPath, "--" }.Concat(command))
        {
            meter.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                meter.Environment.Remove(name);
            }
            else
            {
                meter.Environment[name] = value;
            }
        }

        using var process = Process.Start(meter) ?? throw new InvalidOperationException("Could not start the meter process.");
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(reportPath))
        {
            throw new InvalidOperationException($"The meter process failed (exit {process.ExitCode}): {errors.Trim()}");
        }

        await using var report = File.OpenRead(reportPath);
        return await JsonSerializer.DeserializeAsync<ProcessMeasurement>(report, ReportOptions, cancellationToken)
            ?? throw new InvalidOperationException("The meter wrote an empty report.");
    }

    /// <summary>The hidden <c>meter</c> command: <c>meter --report F --stdout F --stderr F -- PROGRAM ARGS...</c>.</summary>
    public static async Task<int> RunMeterCommandAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        string? report = null, stdout = null, stderr = null;
        var i = 0;
        for (; i < args.Count && args[i] != "--"; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"meter: {args[i]} needs a value");
            switch (args[i])
            {
                case "--report": report = value; break;
                case "--stdout": stdout = value; break;
                case "--stderr": stderr = value; break;
                default: throw new ArgumentException($"meter: unknown option {args[i]}");
            }
        }

        if (report is null || stdout is null || stderr is null || i + 1 >= args.Count)
        {
            throw new ArgumentException("meter: usage: meter --report FILE --stdout FILE --stderr FILE -- PROGRAM [ARGS...]");
        }

        var start = new ProcessStartInfo(args[i + 1])
        {
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in args.Skip(i + 2))
        {
            start.ArgumentList.Add(argument);
        }

        var measurement = await MeasureAsync(start, stdout, stderr, cancellationToken);
        await File.WriteAllTextAsync(report, JsonSerializer.Serialize(measurement, ReportOptions), cancellationToken);
        return 0;
    }

    private static async Task<ProcessMeasurement> MeasureAsync(ProcessStartInfo start, string stdoutPath, string stderrPath, CancellationToken cancellationToken)
    {
        await using var stdout = File.Create(stdoutPath);
        await using var stderr = File.Create(stderrPath);

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr, cancellationToken);
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = PollHighWaterAsync(process.Id, polling.Token);

        await process.WaitForExitAsync(cancellationToken);
        var wall = Stopwatch.GetElapsedTime(started);
        var exitedAt = DateTimeOffset.UtcNow;
        await polling.CancelAsync();
        var highWater = await poll;
        await Task.WhenAll(copyOut, copyErr);

        // The meter has reaped exactly one child, so the children's figures are that child's.
        var maxRss = 0L;
        double user = 0, system = 0;
        if (NativeMethods.GetRusage(NativeMethods.RusageChildren, out var usage) == 0)
        {
            maxRss = usage.MaxResidentKilobytes;
            user = usage.UserTime.TotalSeconds;
            system = usage.SystemTime.TotalSeconds;
        }

        return new ProcessMeasurement(process.ExitCode, wall.TotalSeconds, maxRss, highWater, user, system, exitedAt);
    }

    /// <summary>Reads VmHWM until cancelled; it only grows, so the last value read is the best lower bound of the peak.</summary>
    private static async Task<long> PollHighWaterAsync(int pid, CancellationToken cancellationToken)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        long last = 0;
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync(path, CancellationToken.None))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kilobytes = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                        last = Math.Max(last, kilobytes);
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // The process has exited (its status file is gone or has no memory lines any more).
            }
        }
        while (await WaitForTickAsync(timer, cancellationToken));

        return last;
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
