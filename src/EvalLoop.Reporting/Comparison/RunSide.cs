using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Comparison;

/// <summary>One of the two runs.</summary>
internal sealed record RunSide(RunRecord Run, ExperimentDefinition? Experiment, RunSummary Summary, ExperimentEvaluation Evaluation);
