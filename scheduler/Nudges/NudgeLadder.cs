using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>An overdue key result as the ladder sees it: where it is on the ladder in this overdue episode, and who to tell.</summary>
public sealed record NudgeCandidate(
    long KeyResultId, long OwnerId, long? TeamId, DateTimeOffset OverdueSince, DateTimeOffset? SnoozedUntil, TimeZoneInfo OwnerZone, DateOnly? OwnerAwayUntil,
    long? ManagerId, TimeZoneInfo ManagerZone, DateOnly? ManagerAwayUntil, int LastStep, DateTimeOffset? LastAt);

/// <summary>
/// The escalation ladder's rules, free of the database so they can be read and tested on their own:
/// step 1 to the owner once the key result is overdue; step 2 to the owner some working days after step 1; step 3 to
/// the manager some working days after step 2. Nothing goes outside the recipient's working hours, during a snooze,
/// or while the owner (or, for step 3, the manager) is away.
/// </summary>
public static class NudgeLadder
{
    public const int Steps = 3;

    /// <summary>When the next step falls due, or null when the ladder is done (or has nobody to escalate to).</summary>
    public static DateTimeOffset? NextDue(NudgeCandidate candidate, RhythmSettings settings) => candidate.LastStep switch
    {
        0 => candidate.OverdueSince,
        1 => AddWorkingDays(candidate.LastAt!.Value, settings.SecondReminderAfterWorkingDays, candidate.OwnerZone),
        2 when candidate.ManagerId is not null => AddWorkingDays(candidate.LastAt!.Value, settings.ManagerAfterWorkingDays, candidate.OwnerZone),
        _ => null,
    };

    /// <summary>Whether the next step may go now: due, not snoozed, nobody away, and inside the recipient's working hours.</summary>
    public static bool Ready(NudgeCandidate candidate, RhythmSettings settings, DateTimeOffset now)
    {
        if (NextDue(candidate, settings) is not { } due || due > now || IsQuiet(candidate, now))
        {
            return false;
        }

        var toManager = candidate.LastStep + 1 == Steps;
        return toManager
            ? !IsAway(candidate.ManagerAwayUntil, candidate.ManagerZone, now) && InWorkingHours(now, candidate.ManagerZone, settings)
            : InWorkingHours(now, candidate.OwnerZone, settings);
    }

    /// <summary>A snooze or the owner being away quiets the key result's nudges (it stays overdue everywhere).</summary>
    public static bool IsQuiet(NudgeCandidate candidate, DateTimeOffset now) =>
        candidate.SnoozedUntil > now || IsAway(candidate.OwnerAwayUntil, candidate.OwnerZone, now);

    public static bool IsAway(DateOnly? awayUntil, TimeZoneInfo zone, DateTimeOffset now) =>
        awayUntil is { } until && LocalDate(now, zone) <= until;

    public static bool InWorkingHours(DateTimeOffset now, TimeZoneInfo zone, RhythmSettings settings)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return WorkingTime.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && time >= settings.Start && time < settings.End;
    }

    /// <summary>The same local time of day, <paramref name="days"/> working days later in the zone.</summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset at, int days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var date = DateOnly.FromDateTime(local);
        for (var added = 0; added < days;)
        {
            date = date.AddDays(1);
            added += WorkingTime.IsWorkingDay(date) ? 1 : 0;
        }

        return WorkingTime.ToInstant(date.ToDateTime(TimeOnly.FromDateTime(local)), zone);
    }

    public static DateOnly LocalDate(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
}
