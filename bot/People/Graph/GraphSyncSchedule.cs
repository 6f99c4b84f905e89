using Microsoft.Extensions.Options;
using Quartz;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// Puts the Graph sync on the clustered schedule at start-up (kept when unchanged, so restarts do not push it back);
/// the job stays stored while Graph is enabled so an install can trigger it even with no interval.
/// </summary>
public sealed class GraphSyncSchedule(ISchedulerFactory schedulers, IOptions<GraphOptions> options, TimeProvider time) : IHostedService
{
    private static readonly TriggerKey Trigger = new(GraphSyncJob.Name, GraphSyncJob.Group);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var interval = options.Value.SyncInterval;
        if (!options.Value.Enabled)
        {
            await scheduler.DeleteJob(GraphSyncJob.Key, cancellationToken);
            return;
        }

        if (await scheduler.GetTrigger(Trigger, cancellationToken) is ISimpleTrigger existing && existing.RepeatInterval == interval)
        {
            return;
        }

        var job = JobBuilder.Create<GraphSyncJob>().WithIdentity(GraphSyncJob.Key).StoreDurably().Build();
        if (interval == TimeSpan.Zero)
        {
            await scheduler.UnscheduleJob(Trigger, cancellationToken);
            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken);
            return;
        }

        var trigger = TriggerBuilder.Create().WithIdentity(Trigger).ForJob(GraphSyncJob.Key)
            .StartAt(time.GetUtcNow() + interval)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
