namespace EvalLoop.Service.Scheduling;

/// <summary>An experiment's schedule as the scheduler holds it.</summary>
/// <param name="Experiment">The experiment's name (its job's name).</param>
/// <param name="Cron">The Quartz cron expression, or null when the experiment runs only on demand.</param>
/// <param name="State">The trigger's state (<c>Normal</c>, <c>Paused</c>, <c>Blocked</c> while running, ...), or <c>None</c> without a schedule.</param>
/// <param name="OnOverlap">What a trigger that fires while the experiment runs does: <c>wait</c> or <c>skip</c>.</param>
public sealed record ScheduleInfo(string Experiment, string? Cron, string State, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime, string OnOverlap = "wait");
