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
}
