using EvalLoop.Service.Composition;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// The experiments' schedules in Quartz: one durable job per experiment file, and a cron trigger for each experiment
/// with a <c>schedule:</c>. Synced from <c>experiments/*.yaml</c>; paused, resumed and triggered from the UI and the API.
/// </summary>
/// <remarks>
/// Misfire policy: a cron trigger that missed its time (the host was down) fires once as soon as the host is back, then
/// keeps its schedule (<c>WithMisfireHandlingInstructionFireAndProceed</c>). A trigger whose cron did not change is
/// left as stored, so its paused state and next fire time survive a restart. Overlap policy: the job of an experiment
/// whose policy is <c>wait</c> is an <see cref="ExperimentJob"/>, of one whose policy is <c>skip</c> a
/// <see cref="SkippingExperimentJob"/> (<c>on_overlap:</c> in the file, else <see cref="EvalLoopServiceOptions.OverlapPolicy"/>).
/// Syncs run one at a time (at start, and on every change of the experiments folder).
/// </remarks>
public sealed partial class ExperimentSchedules(ISchedulerFactory schedulerFactory, EvalLoopServices services, EvalLoopServiceOptions options, ILogger<ExperimentSchedules> logger) : IDisposable
{
    private readonly SemaphoreSlim _syncing = new(1, 1);

    /// <summary>The group of every experiment job and trigger.</summary>
    public const string Group = "experiments";

    /// <summary>Files that could not be loaded at the last sync, with the reason (shown on the schedules page).</summary>
    public IReadOnlyDictionary<string, string> SyncErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>Makes the scheduler's jobs and triggers match <c>experiments/*.yaml</c>.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        await _syncing.WaitAsync(cancellationToken);
        try
        {
            await SyncCoreAsync(cancellationToken);
        }
        finally
        {
            _syncing.Release();
        }
    }

    public void Dispose() => _syncing.Dispose();

    private async Task SyncCoreAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folder = services.Layout.ExperimentsDirectory;
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var file in files)
        {
            Core.Experiments.ExperimentDefinition experiment;
            try
            {
                experiment = await services.Experiments.LoadAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                errors[Path.GetFileName(file)] = ex.Message;
                LogSkipped(logger, file, ex.Message);
                continue;
            }

            seen.Add(experiment.Name);
            try
            {
                await ScheduleAsync(scheduler, experiment, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // E.g. a cron expression with the right number of fields that Quartz still refuses.
                errors[Path.GetFileName(file)] = ex.Message;
                LogSkipped(logger, file, ex.Message);
            }
        }

        foreach (var job in await JobKeysAsync(scheduler, cancellationToken))
        {
            if (!seen.Contains(job.Name) && !errors.Keys.Any(f => Path.GetFileNameWithoutExtension(f) == job.Name))
            {
                await scheduler.DeleteJob(job, cancellationToken);
            }
        }

        SyncErrors = errors;
    }

    private async Task ScheduleAsync(IScheduler scheduler, Core.Experiments.ExperimentDefinition experiment, CancellationToken cancellationToken)
    {
        await EnsureJobAsync(scheduler, experiment.Name, PolicyOf(experiment), cancellationToken);
        var triggerKey = new TriggerKey(experiment.Name, Group);
        var existing = await scheduler.GetTrigger(triggerKey, cancellationToken) as ICronTrigger;
        if (experiment.Schedule is null)
        {
            if (existing is not null)
            {
                await scheduler.UnscheduleJob(triggerKey, cancellationToken);
            }
        }
        else if (existing?.CronExpressionString != experiment.Schedule)
        {
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(new JobKey(experiment.Name, Group))
                .WithCronSchedule(experiment.Schedule, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            if (existing is null)
            {
                await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellationToken);
            }
            else
            {
                await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
            }
        }
    }

    private OverlapPolicy PolicyOf(Core.Experiments.ExperimentDefinition experiment) => experiment.OnOverlap switch
    {
        "skip" => OverlapPolicy.Skip,
        "wait" => OverlapPolicy.Wait,
        _ => options.OverlapPolicy,
    };

    /// <summary>Every experiment job with its trigger, by name.</summary>
    public async Task<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var result = new List<ScheduleInfo>();
        foreach (var job in await JobKeysAsync(scheduler, cancellationToken))
        {
            result.Add(await GetCoreAsync(scheduler, job.Name, cancellationToken));
        }

        return result;
    }

    /// <summary>The schedule of <paramref name="experiment"/>, or null when the scheduler has no job for it.</summary>
    public async Task<ScheduleInfo?> GetAsync(string experiment, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        return await scheduler.Exists(new JobKey(experiment, Group), cancellationToken)
            ? await GetCoreAsync(scheduler, experiment, cancellationToken)
            : null;
    }

    /// <summary>Runs <paramref name="experiment"/> now (after the running one, if any); false when there is no such experiment file.</summary>
    public async Task<bool> TriggerAsync(string experiment, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var key = new JobKey(experiment, Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            // A file added since the last sync: load it (this checks that it exists and is valid) and give it a job.
            if (!IsPlainName(experiment) || !File.Exists(services.Experiments.ResolvePath(experiment)))
            {
                return false;
            }

            var definition = await services.Experiments.LoadAsync(experiment, cancellationToken);
            if (definition.Name != experiment)
            {
                return false;
            }

            await EnsureJobAsync(scheduler, experiment, PolicyOf(definition), cancellationToken);
        }

        await scheduler.TriggerJob(key, cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="experiment"/> has a run waiting (a "run now" trigger that has not fired yet, or that waits
    /// for the running job) and whether its job is running now: what a page shows for a re-run that has no run record yet.
    /// </summary>
    public async Task<JobActivity> ActivityAsync(string experiment, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var key = new JobKey(experiment, Group);
        var schedule = new TriggerKey(experiment, Group);
        var triggers = await scheduler.QueryTriggers(new TriggerQuery { Job = key, Take = PagedQuery.All }, cancellationToken);
        var queued = triggers.Items.Count(t => !t.Key.Equals(schedule) && t.NextFireTimeUtc is not null);
        var running = (await scheduler.QueryFireInstances(new FireInstanceQuery { Job = key }, cancellationToken)).Items.Count > 0;
        return new JobActivity(queued, running);
    }

    /// <summary>Pauses the experiment's schedule; false when it has none.</summary>
    public Task<bool> PauseAsync(string experiment, CancellationToken cancellationToken = default) =>
        WithTriggerAsync(experiment, async (s, k) => await s.PauseTrigger(k, cancellationToken), cancellationToken);

    /// <summary>Resumes the experiment's schedule; false when it has none.</summary>
    public Task<bool> ResumeAsync(string experiment, CancellationToken cancellationToken = default) =>
        WithTriggerAsync(experiment, async (s, k) => await s.ResumeTrigger(k, cancellationToken), cancellationToken);

    private async Task<bool> WithTriggerAsync(string experiment, Func<IScheduler, TriggerKey, Task> action, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var key = new TriggerKey(experiment, Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return false;
        }

        await action(scheduler, key);
        return true;
    }

    private static async Task<ScheduleInfo> GetCoreAsync(IScheduler scheduler, string experiment, CancellationToken cancellationToken)
    {
        var job = await scheduler.GetJobDetail(new JobKey(experiment, Group), cancellationToken);
        var onOverlap = job?.JobType.Type == typeof(SkippingExperimentJob) ? "skip" : "wait";
        var key = new TriggerKey(experiment, Group);
        if (await scheduler.GetTrigger(key, cancellationToken) is not ICronTrigger trigger)
        {
            return new ScheduleInfo(experiment, null, "None", null, null, onOverlap);
        }

        var state = await scheduler.GetTriggerState(key, cancellationToken);
        return new ScheduleInfo(experiment, trigger.CronExpressionString, state.ToString(), trigger.NextFireTimeUtc, trigger.PreviousFireTimeUtc, onOverlap);
    }

    private static async Task<IReadOnlyList<JobKey>> JobKeysAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var page = await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(Group), Take = PagedQuery.All }, cancellationToken);
        return page.Items.Select(h => h.Key).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task EnsureJobAsync(IScheduler scheduler, string experiment, OverlapPolicy policy, CancellationToken cancellationToken)
    {
        var job = policy == OverlapPolicy.Skip ? Describe(JobBuilder.Create<SkippingExperimentJob>()) : Describe(JobBuilder.Create<ExperimentJob>());
        await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken);

        IJobDetail Describe<T>(JobBuilder<T> builder)
            where T : IJob =>
            builder.WithIdentity(experiment, Group).UsingJobData(ExperimentJob.ExperimentKey, experiment).StoreDurably().Build();
    }

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not scheduling {File}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string file, string reason);
}
