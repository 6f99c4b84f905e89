using System.Globalization;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Web;

/// <summary>How the dashboard writes numbers, on the page and in its CSV files alike (invariant culture, one rule each).</summary>
public static class DashboardFormat
{
    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string Percent(decimal? percent) => percent is { } p ? p.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Number(decimal? value, string format = "0.##") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>In place of a number that the threshold withholds: says why, never how many.</summary>
    public static string BelowThreshold(int threshold) => $"n < {threshold.ToString(CultureInfo.InvariantCulture)}";

    public static string Health(KeyResultHealth health) => KeyResultRules.Describe(health);

    public static string Owner(KeyResultLine kr) =>
        kr.Owner is null ? "no owner" : kr.OwnerAway ? $"{kr.Owner} (away)" : kr.Owner;

    public static string Value(decimal value, string unit) =>
        value.ToString("0.##", CultureInfo.InvariantCulture) + (unit.Length == 0 ? "" : unit == "%" ? " %" : " " + unit);

    /// <summary>A run's score cell: the score, or why there is none.</summary>
    public static string Score(PulseRunLine run) => run.HiddenBecause is null ? Number(run.AlignmentScore, "0.00") : BelowThreshold(run.ScoreThreshold);
}
