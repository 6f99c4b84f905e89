using System.Globalization;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Digests;

/// <summary>How digests write numbers, so the team card, the roll-up and the chart's alt text say them the same way.</summary>
public static class DigestText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Number(decimal value) => value.ToString("#,0.##", Invariant);

    public static string Percent(double fraction) => Points(fraction) + " %";

    /// <summary>A fraction as percentage points, e.g. 0.125 → "13".</summary>
    public static string Points(double fraction) => Math.Round(fraction * 100, MidpointRounding.AwayFromZero).ToString("0", Invariant);

    public static string Score(decimal score) => score.ToString("0.00", Invariant);

    public static string WithSign(decimal value) => value.ToString("+#,0.##;-#,0.##;0", Invariant);

    /// <summary>"▲ 0.33" / "▼ 0.50" / "no change".</summary>
    public static string Arrow(decimal delta) => delta == 0 ? "no change" : $"{(delta > 0 ? "▲" : "▼")} {Math.Abs(delta).ToString("0.00", Invariant)}";

    public static string Participation(PulseRunLine run) => run.Participation is { } p
        ? $"{run.Respondents} of {run.Invited} answered ({p.ToString("0.#", Invariant)} %)"
        : "nobody was invited";

    /// <summary>The run's score line, or the reason there is none (never a number below the threshold).</summary>
    public static string Result(PulseRunLine run)
    {
        if (run.AlignmentScore is not { } score)
        {
            return run.HiddenBecause ?? "No likert questions, so no alignment score.";
        }

        var parts = new List<string> { $"alignment {Score(score)} / 5" + (run.Trend is { } trend ? $" ({Arrow(trend)} vs previous run)" : "") };
        if (run.FavourablePercent is { } favourable)
        {
            parts.Add($"{favourable.ToString("0", Invariant)} % favourable");
        }

        if (run.Enps is { } enps)
        {
            parts.Add($"eNPS {enps.ToString("+0;-0;0", Invariant)}");
        }

        return string.Join(" · ", parts);
    }

    public static string Status(KeyResultHealth health) => KeyResultRules.Describe(health);

    /// <summary>The local date and time of an instant in the digest's zone, e.g. "Mon 30 Nov 09:00".</summary>
    public static string Local(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.ConvertTime(at, WorkingTime.Zone(timeZone, TimeZoneInfo.Utc)).ToString("ddd d MMM HH:mm", Invariant);

    /// <summary>The local day of an instant in the zone, e.g. "Thu 26 Nov".</summary>
    public static string Day(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.ConvertTime(at, WorkingTime.Zone(timeZone, TimeZoneInfo.Utc)).ToString("ddd d MMM", Invariant);

    public static string Week(DateTimeOffset at, string timeZone) =>
        DigestScheduler.Week(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, WorkingTime.Zone(timeZone, TimeZoneInfo.Utc)).DateTime));

    /// <summary>Counts by health in a fixed order, e.g. "30 on track, 5 at risk, 2 stale".</summary>
    public static string Counts(IEnumerable<KeyResultHealth> healths)
    {
        var counts = healths.GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        KeyResultHealth[] order = [KeyResultHealth.OnTrack, KeyResultHealth.AtRisk, KeyResultHealth.OffTrack, KeyResultHealth.Stale, KeyResultHealth.Unknown];
        return string.Join(", ", order.Where(counts.ContainsKey).Select(h => $"{counts[h]} {Status(h)}"));
    }

    /// <summary>How much a key result needs a reader's eye: stale first, then off track, behind plan, at risk.</summary>
    public static int Attention(KeyResultLine k) => k.Health switch
    {
        KeyResultHealth.Stale => 0,
        KeyResultHealth.OffTrack => 1,
        _ when k.Behind => 2,
        KeyResultHealth.AtRisk => 3,
        KeyResultHealth.Unknown => 4,
        _ => 5,
    };
}
