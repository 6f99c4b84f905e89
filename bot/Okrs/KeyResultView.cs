using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Okrs;

/// <summary>A key result as chat shows it, with what is needed to say how it stands (staleness, snooze, owner away).</summary>
public sealed record KeyResultView(
    long Id, string Title, string ObjectiveTitle, string? ParentObjectiveTitle, long? TeamId, string? TeamName, long? OwnerId, string OwnerName,
    string? OwnerZone, DateTime? OwnerAwayUntil, decimal StartValue, decimal TargetValue, decimal CurrentValue, string Unit, int? Confidence,
    int CheckinCadenceDays, DateTime? DueOn, DateTime? LastCheckinAt, DateTime OverdueSince, DateTime? SnoozedUntil, string TenantZone, string? LastBlocker)
{
    public DateTimeOffset OverdueAt => Utc(OverdueSince);

    public bool IsOverdue(DateTimeOffset now) => now >= OverdueAt;

    public KeyResultHealth Health(DateTimeOffset now) => KeyResultRules.Health(Confidence, IsOverdue(now));

    public double Progress => KeyResultRules.Progress(StartValue, TargetValue, CurrentValue);

    public TimeZoneInfo OwnerTimeZone => WorkingTime.Zone(OwnerZone, WorkingTime.Zone(TenantZone, TimeZoneInfo.Utc));

    /// <summary>Whether the owner said they are away on <paramref name="now"/>'s date in their own zone.</summary>
    public bool OwnerAway(DateTimeOffset now) =>
        OwnerAwayUntil is { } until && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, OwnerTimeZone).DateTime) <= DateOnly.FromDateTime(until);

    public bool IsSnoozed(DateTimeOffset now) => SnoozedUntil is { } until && Utc(until) > now;

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
