using AlignmentBot.Scheduler.People;
using Microsoft.Extensions.Options;
using Quartz;

namespace AlignmentBot.Bot.People;

/// <summary>
/// Puts the roster refresh on the clustered schedule at start-up: kept as it is when the interval is unchanged (so
/// restarts do not push it back), replaced when the setting changed, removed when it is 00:00:00.
/// </summary>
public sealed class RosterRefreshSchedule(ISchedulerFactory schedulers, IOptions<PeopleOptions> options, TimeProvider time) : IHostedService
{
    private static readonly JobKey Job = new(RosterRefreshJob.Name, RosterRefreshJob.Group);
    private static readonly TriggerKey Trigger = new(RosterRefreshJob.Name, RosterRefreshJob.Group);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var interval = options.Value.RosterRefreshInterval;
        if (interval == TimeSpan.Zero)
        {
            await scheduler.DeleteJob(Job, cancellationToken);
            return;
        }

        if (await scheduler.GetTrigger(Trigger, cancellationToken) is ISimpleTrigger existing && existing.RepeatInterval == interval)
        {
            return;
        }

        var job = JobBuilder.Create<RosterRefreshJob>().WithIdentity(Job).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(Trigger).ForJob(Job)
            .StartAt(time.GetUtcNow() + interval)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
