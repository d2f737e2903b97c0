using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;

namespace EvalLoop.Reporting;

/// <summary>
/// The ports a report reads. <see cref="Clusters"/> and <see cref="Suggestions"/> are optional: without them, or when
/// a run has no analysis or suggestions yet, the report says so in those sections. With <see cref="Goals"/>, a run
/// whose experiment names a goal file gets a Goal section (the requirements it covers, measured on that run); with
/// <see cref="Regressions"/>, a run flagged as a regression is never the baseline a goal requirement regressed from.
/// </summary>
public sealed record ReportSources(
    IRunStore Runs,
    IRunResultStore Results,
    IDatasetStore Datasets,
    IClusterStore? Clusters = null,
    ISuggestionStore? Suggestions = null,
    IGoalSource? Goals = null,
    IRegressionStore? Regressions = null);
