using Quartz;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>Every 15 minutes: send the nudges that have fallen due (at quarter hours, so "09:00 local" is 09:00 in every zone).</summary>
[DisallowConcurrentExecution]
public sealed class NudgeScanJob(NudgePlanner planner) : IJob
{
    public const string Name = "nudge-scan";
    public const string Group = "nudges";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await planner.PlanAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
}
