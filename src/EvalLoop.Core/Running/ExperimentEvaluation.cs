using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Running;

/// <summary>Each scorer's figures against its target.</summary>
public sealed record ExperimentEvaluation(IReadOnlyList<ScorerEvaluation> Scorers)
{
    /// <summary>True when every scorer with a target meets it.</summary>
    public bool TargetsMet => Scorers.All(s => s.Met is not false);

    public static ExperimentEvaluation Evaluate(ExperimentDefinition experiment, RunSummary summary) =>
        new(experiment.Scorers.Select(definition =>
        {
            var figures = summary.Scorers.FirstOrDefault(s => s.Scorer == definition.Name)
                ?? new ScorerSummary(definition.Name, null, 0, 0, 0);
            double? target = experiment.Targets.TryGetValue(definition.Name, out var t) ? t : null;
            return new ScorerEvaluation(figures, target, target is { } goal ? figures.PassRate >= goal - 1e-12 : null);
        }).ToList());
}

/// <summary>A scorer's summary, its target pass rate (if any) and whether it is met.</summary>
public sealed record ScorerEvaluation(ScorerSummary Figures, double? Target, bool? Met);
