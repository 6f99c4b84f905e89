using System.Globalization;
using Quartz;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>
/// Every 15 minutes: send the nudges that have fallen due (at quarter hours, so "09:00 local" is 09:00 in every zone).
/// The instant is the trigger's scheduled fire time, so a late or repeated fire plans the same instant; a one-off
/// trigger may name the instant to plan instead (<see cref="AtKey"/>, ISO 8601), e.g. to replay a missed one.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NudgeScanJob(NudgePlanner planner) : IJob
{
    public const string Name = "nudge-scan";
    public const string Group = "nudges";
    public const string AtKey = "at";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var at = context.MergedJobDataMap.TryGetValue(AtKey, out var value) && value is string text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        await planner.PlanAsync(at, cancellationToken);
    }
}
