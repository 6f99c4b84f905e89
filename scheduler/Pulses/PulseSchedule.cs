using System.Globalization;
using AlignmentBot.Scheduler.Calendar;
using Quartz;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>
/// Each survey's cadence as a persistent trigger on the clustered store ("pulse-open-{id}"), firing at 00:00 of the
/// cadence day in the tenant's time zone; each person's card then waits for their own local time that day.
/// </summary>
public sealed class PulseSchedule(ISchedulerFactory schedulers, TimeProvider time)
{
    public const string Group = "pulses";

    public static JobKey JobKeyFor(long surveyId) => new($"pulse-open-{surveyId.ToString(CultureInfo.InvariantCulture)}", Group);

    /// <summary>Schedules (or reschedules) the survey's runs; a disabled survey's trigger is removed.</summary>
    public async Task ApplyAsync(SurveyDefinition survey, string tenantTimeZone, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = JobKeyFor(survey.Id!.Value);
        if (!survey.Enabled)
        {
            await scheduler.DeleteJob(key, ct);
            return;
        }

        var zone = WorkingTime.Zone(tenantTimeZone, TimeZoneInfo.Utc);
        var job = JobBuilder.Create<OpenPulseRunJob>()
            .WithIdentity(key)
            .UsingJobData(OpenPulseRunJob.SurveyIdKey, survey.Id.Value.ToString(CultureInfo.InvariantCulture))
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, Group)
            .ForJob(key)
            .WithSchedule(Schedule(survey, zone))
            .StartAt(survey.Cadence == Cadences.Biweekly ? NextWeekdayMidnight(survey, zone) : time.GetUtcNow())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
    }

    /// <summary>When the survey's next run opens, if it is scheduled.</summary>
    public async Task<DateTimeOffset?> NextRunAsync(long surveyId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var trigger = await scheduler.GetTrigger(new TriggerKey(JobKeyFor(surveyId).Name, Group), ct);
        return trigger?.NextFireTimeUtc;
    }

    private static IScheduleBuilder Schedule(SurveyDefinition survey, TimeZoneInfo zone) => survey.Cadence switch
    {
        Cadences.Weekly => CronScheduleBuilder.Create($"0 0 0 ? * {Weekday(survey)}").InTimeZone(zone),
        Cadences.Biweekly => CalendarIntervalScheduleBuilder.Create().WithInterval(2, IntervalUnit.Week).InTimeZone(zone).PreserveHourOfDayAcrossDaylightSavings(true),
        Cadences.Monthly => CronScheduleBuilder.Create($"0 0 0 {survey.Day} * ?").InTimeZone(zone),
        _ => CronScheduleBuilder.Create(survey.CronExpression!).InTimeZone(zone),
    };

    private static string Weekday(SurveyDefinition survey) => SurveyValidation.ParseWeekday(survey.Day!).ToString()[..3].ToUpperInvariant();

    /// <summary>The next 00:00 of the survey's weekday in the zone (the first of a biweekly series).</summary>
    private DateTimeOffset NextWeekdayMidnight(SurveyDefinition survey, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var days = ((int)SurveyValidation.ParseWeekday(survey.Day!) - (int)today.DayOfWeek + 7) % 7;
        var at = WorkingTime.ToInstant(today.AddDays(days).ToDateTime(TimeOnly.MinValue), zone);
        return at > time.GetUtcNow() ? at : WorkingTime.ToInstant(today.AddDays(days + 7).ToDateTime(TimeOnly.MinValue), zone);
    }
}
