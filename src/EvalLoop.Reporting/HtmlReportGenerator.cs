using EvalLoop.Reporting.Comparison;
using EvalLoop.Reporting.Runs;

namespace EvalLoop.Reporting;

/// <summary>
/// Writes the HTML reports: one self-contained file per run (summary, charts, clusters, suggestions, prompt and a
/// searchable case table), and the diff report of two runs. Every piece of text from runs, datasets, models and
/// suggestions is escaped; charts are ScottPlot SVG passed through an allow-list. Reads only through the ports in
/// <see cref="ReportSources"/>, streaming the results once.
/// </summary>
public sealed class HtmlReportGenerator
{
    private readonly ReportSources _sources;
    private readonly ReportOptions _options;
    private readonly TimeProvider _time;

    public HtmlReportGenerator(ReportSources sources, ReportOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _options = options ?? new ReportOptions();
        ReportOptionsValidator.ThrowIfInvalid(_options);
        _sources = sources;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Writes the report of run <paramref name="runId"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="Core.Running.RunNotFoundException">There is no such run.</exception>
    public async Task<ReportResult> WriteRunReportAsync(string runId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(destination);
        var model = await new RunReportReader(_sources, _options, _time).ReadAsync(runId, cancellationToken);
        var warnings = await new RunReportHtml(_options).WriteAsync(model, destination, cancellationToken);
        return new ReportResult(model.Rows, warnings);
    }

    /// <summary>
    /// Writes the diff report of <paramref name="candidateRunId"/> against <paramref name="baselineRunId"/>: what got
    /// fixed and broken, score deltas with paired tests, changed outputs side by side, and the prompt diff.
    /// </summary>
    /// <exception cref="Core.Running.RunNotFoundException">Either run does not exist.</exception>
    public async Task<ReportResult> WriteComparisonReportAsync(string baselineRunId, string candidateRunId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineRunId);
        ArgumentException.ThrowIfNullOrWhiteSpace(candidateRunId);
        ArgumentNullException.ThrowIfNull(destination);
        var model = await new ComparisonReader(_sources, _options, _time).ReadAsync(baselineRunId, candidateRunId, cancellationToken);
        var warnings = await ComparisonHtml.WriteAsync(model, destination, cancellationToken);
        return new ReportResult(model.Pairs, warnings);
    }
}
