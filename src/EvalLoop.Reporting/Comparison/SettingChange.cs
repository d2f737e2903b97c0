namespace EvalLoop.Reporting.Comparison;

/// <summary>A setting that differs between the runs (model, dataset version, scorers, targets...).</summary>
internal sealed record SettingChange(string Setting, string? Baseline, string? Candidate);
