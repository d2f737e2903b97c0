namespace EvalLoop.Service.Regressions;

/// <summary>
/// The webhook's JSON body (snake_case): <c>{"event": "regression", "experiment", "run_id", "baseline_run_id",
/// "scorers": [{"scorer", "baseline_pass_rate", "pass_rate", "p_value"}], "report_url"}</c>; <c>report_url</c> is
/// left out when the host's address is unknown.
/// </summary>
public sealed partial record RegressionMessage(string Event, string Experiment, string RunId, string BaselineRunId, IReadOnlyList<RegressionMessage.ScorerDrop> Scorers, string? ReportUrl);
