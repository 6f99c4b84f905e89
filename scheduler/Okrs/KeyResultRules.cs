using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Scheduler.Okrs;

/// <summary>How a key result stands, as every view shows it (chat, nudges, digests).</summary>
public enum KeyResultHealth
{
    /// <summary>Confidence 7–10.</summary>
    OnTrack,
    /// <summary>Confidence 4–6.</summary>
    AtRisk,
    /// <summary>Confidence 0–3.</summary>
    OffTrack,
    /// <summary>No confidence given yet.</summary>
    Unknown,
    /// <summary>Its check-in is overdue: this overrides whatever health the owner last reported.</summary>
    Stale,
}

/// <summary>
/// The rules behind progress and staleness. A key result is overdue when its last check-in (or, before the first, the
/// later of its creation and its start date) is older than its check-in cadence plus the tenant's grace days.
/// The rule lives in SQL only (<see cref="OverdueSinceSql"/>), so every view reads the same instant from the database.
/// </summary>
public static class KeyResultRules
{
    /// <summary>
    /// SQL for the instant a key result becomes overdue, given a grace in days as <c>@GraceDays</c>; the key result is
    /// aliased <c>kr</c>.
    /// </summary>
    public const string OverdueSinceSql =
        "(greatest(coalesce(kr.last_checkin_at, kr.created_at), coalesce(kr.starts_on::timestamp AT TIME ZONE 'UTC', '-infinity')) + make_interval(days => kr.checkin_cadence_days + @GraceDays))";

    /// <summary>
    /// The same with each key result's own tenant's grace (<c>tenants.settings.rhythm.graceDays</c>, else the default),
    /// for queries across tenants or without the settings at hand; the tenant is aliased <c>t</c>.
    /// </summary>
    public static readonly string OverdueSinceForTenantSql = OverdueSinceSql.Replace(
        "@GraceDays", $"coalesce((t.settings->'rhythm'->>'graceDays')::int, {RhythmSettings.Default.GraceDays})", StringComparison.Ordinal);

    /// <summary>Progress from start to target, 0 to 1 (a decrease counts as progress when the target is lower).</summary>
    public static double Progress(decimal start, decimal target, decimal current) =>
        start == target ? 1 : Math.Clamp((double)((current - start) / (target - start)), 0, 1);

    public static KeyResultHealth Health(int? confidence, bool overdue) => overdue
        ? KeyResultHealth.Stale
        : confidence switch
        {
            null => KeyResultHealth.Unknown,
            >= 7 => KeyResultHealth.OnTrack,
            >= 4 => KeyResultHealth.AtRisk,
            _ => KeyResultHealth.OffTrack,
        };

    public static string Describe(KeyResultHealth health) => health switch
    {
        KeyResultHealth.OnTrack => "on track",
        KeyResultHealth.AtRisk => "at risk",
        KeyResultHealth.OffTrack => "off track",
        KeyResultHealth.Stale => "stale",
        _ => "no confidence yet",
    };
    /// <summary>
    /// How a dependency on a key result stands. <b>Late</b>: the day it was needed by has passed (in the tenant's zone) and
    /// the key result waited on is not done; <b>at risk</b>: that key result is at risk, off track or stale (by
    /// <see cref="Health"/>) and not done; otherwise <b>fine</b>. Done means it reached its target.
    /// </summary>
    public static DependencyState Dependency(KeyResultHealth waitedOn, double waitedOnProgress, DateOnly? neededBy, DateOnly today) =>
        waitedOnProgress >= 1 ? DependencyState.Fine
        : neededBy is { } by && by < today ? DependencyState.Late
        : waitedOn is KeyResultHealth.AtRisk or KeyResultHealth.OffTrack or KeyResultHealth.Stale ? DependencyState.AtRisk
        : DependencyState.Fine;

    /// <summary>
    /// Since when a dependency is in its state; it names the episode a nudge is about. Late: from the start of the day
    /// after the needed-by date; at risk because stale: from the instant the check-in became overdue; at risk or off
    /// track by confidence: from the check-in that said so (or the key result's creation).
    /// </summary>
    public static DateTimeOffset? DependencySince(DependencyState state, KeyResultHealth waitedOn, DateOnly? neededBy, DateTimeOffset overdueSince,
        DateTimeOffset lastCheckinOrCreated, TimeZoneInfo tenantZone) => state switch
    {
        DependencyState.Late => Calendar.WorkingTime.ToInstant(neededBy!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue), tenantZone),
        DependencyState.AtRisk when waitedOn == KeyResultHealth.Stale => overdueSince,
        DependencyState.AtRisk => lastCheckinOrCreated,
        _ => null,
    };

    public static string Describe(DependencyState state) => state switch
    {
        DependencyState.Late => "late",
        DependencyState.AtRisk => "at risk",
        _ => "fine",
    };
}
