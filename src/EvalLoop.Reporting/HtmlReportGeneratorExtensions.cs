namespace EvalLoop.Reporting;

/// <summary>Writing reports to files: the default locations, and all-or-nothing writes.</summary>
public static class HtmlReportGeneratorExtensions
{
    /// <summary>Writes the run report to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static Task<ReportResult> WriteRunReportFileAsync(this HtmlReportGenerator generator, string runId, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return WriteFileAsync(path, stream => generator.WriteRunReportAsync(runId, stream, cancellationToken), cancellationToken);
    }

    /// <summary>Writes the diff report to <paramref name="path"/> atomically.</summary>
    public static Task<ReportResult> WriteComparisonReportFileAsync(this HtmlReportGenerator generator, string baselineRunId, string candidateRunId, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return WriteFileAsync(path, stream => generator.WriteComparisonReportAsync(baselineRunId, candidateRunId, stream, cancellationToken), cancellationToken);
    }

    /// <summary>The default file of a run's report: <c>{reportsDirectory}/{runId}.html</c>.</summary>
    public static string RunReportPath(string reportsDirectory, string runId) =>
        Path.Combine(reportsDirectory, FileSafe(runId) + ".html");

    /// <summary>The default file of a diff report: <c>{reportsDirectory}/compare-{baseline}-vs-{candidate}.html</c>.</summary>
    public static string ComparisonReportPath(string reportsDirectory, string baselineRunId, string candidateRunId) =>
        Path.Combine(reportsDirectory, $"compare-{FileSafe(baselineRunId)}-vs-{FileSafe(candidateRunId)}.html");

    private static string FileSafe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || c is '/' or '\\' or ':' ? '_' : c).ToArray());
    }

    private static async Task<ReportResult> WriteFileAsync(string path, Func<Stream, Task<ReportResult>> write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            ReportResult result;
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream)
            {
                result = await write(stream);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
