using System.Globalization;
using Quartz;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>A survey's cadence fired: open the run for that instant (opening the same instant twice opens once).</summary>
[DisallowConcurrentExecution]
public sealed class OpenPulseRunJob(PulseRunOpener opener) : IJob
{
    public const string SurveyIdKey = "surveyId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var surveyId = context.MergedJobDataMap.TryGetValue(SurveyIdKey, out var value) && value is string text
            ? long.Parse(text, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Job {context.JobDetail.Key} has no {SurveyIdKey}.");
        await opener.OpenAsync(surveyId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
    }
}

/// <summary>Every minute: close the runs whose answer window has ended.</summary>
[DisallowConcurrentExecution]
public sealed class ClosePulseRunsJob(RunCloser closer) : IJob
{
    public const string Name = "pulse-close";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await closer.CloseDueAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
}
