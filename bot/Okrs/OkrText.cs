using System.Globalization;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Okrs;

/// <summary>How key results read in chat: values with units, cadences, "3 days ago", and the status line.</summary>
public static class OkrText
{
    public static string Value(decimal value, string unit)
    {
        var number = value.ToString("#,0.##", CultureInfo.InvariantCulture);
        return unit switch
        {
            "" => number,
            "%" => number + "%",
            _ => $"{number} {unit}",
        };
    }

    /// <summary>
    /// Where a key result stands, as a person says it: "42 of 60 users" when it should go up, "12 days now, target
    /// 7 days (from 14)" when it should go down (where "12 of 7" would read as nonsense).
    /// </summary>
    public static string Standing(decimal start, decimal target, decimal current, string unit) => target < start
        ? $"{Value(current, unit)} now, target {Value(target, unit)} (from {start.ToString("#,0.##", CultureInfo.InvariantCulture)})"
        : $"{Value(current, unit)} of {Value(target, unit)}";

    public static string Cadence(int days) => days switch
    {
        1 => "daily",
        7 => "weekly",
        14 => "every two weeks",
        28 or 30 or 31 => "monthly",
        _ => $"every {days} days",
    };

    public static string DaysAgo(DateTimeOffset now, DateTimeOffset then) => (int)Math.Floor((now - then).TotalDays) switch
    {
        <= 0 => "today",
        1 => "yesterday",
        var days => $"{days} days ago",
    };

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTime date) => date.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => Math.Round(fraction * 100).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>"no check-in for 9 days (check-ins are weekly)" or "no check-in since it was set up 9 days ago".</summary>
    public static string Overdue(KeyResultView kr, DateTimeOffset now) => kr.LastCheckinAt is { } last
        ? $"no check-in for {(int)Math.Floor((now - KeyResultView.Utc(last)).TotalDays)} days (check-ins are {Cadence(kr.CheckinCadenceDays)})"
        : $"no check-in yet, and check-ins are {Cadence(kr.CheckinCadenceDays)}";

    /// <summary>
    /// One line on how the key result stands: "42 of 60 users · confidence 7 · on track · checked in 3 days ago" (see
    /// <see cref="Standing"/> for one that goes down), with
    /// stale overriding the reported health, and a snooze or the owner being away said, never hiding staleness.
    /// </summary>
    public static string Status(KeyResultView kr, DateTimeOffset now)
    {
        var health = kr.Health(now);
        var parts = new List<string> { Standing(kr.StartValue, kr.TargetValue, kr.CurrentValue, kr.Unit) };
        if (kr.Confidence is { } confidence)
        {
            parts.Add($"confidence {confidence}");
        }

        parts.Add(health == KeyResultHealth.Stale ? $"stale: {Overdue(kr, now)}" : KeyResultRules.Describe(health));
        if (health != KeyResultHealth.Stale && kr.LastCheckinAt is { } at)
        {
            parts.Add($"checked in {DaysAgo(now, KeyResultView.Utc(at))}");
        }

        if (kr.IsSnoozed(now))
        {
            parts.Add($"reminders snoozed until {Local(KeyResultView.Utc(kr.SnoozedUntil!.Value), kr.OwnerTimeZone)}");
        }

        if (kr.OwnerAway(now))
        {
            parts.Add($"owner away until {Day(kr.OwnerAwayUntil!.Value)}");
        }

        return string.Join(" · ", parts);
    }

    public static Cards.TextEmphasis Emphasis(KeyResultHealth health) => health switch
    {
        KeyResultHealth.Stale or KeyResultHealth.OffTrack => Cards.TextEmphasis.Attention,
        KeyResultHealth.AtRisk => Cards.TextEmphasis.Warning,
        _ => Cards.TextEmphasis.Subtle,
    };
}
