namespace EvalLoop.Service.Scheduling;

/// <summary>What the scheduler holds for an experiment's job right now.</summary>
/// <param name="Queued">"Run now" triggers (a re-run after an approval is one) that have not fired yet.</param>
/// <param name="Running">Whether the job is executing.</param>
public sealed record JobActivity(int Queued, bool Running);
