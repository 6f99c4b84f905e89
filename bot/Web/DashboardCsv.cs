using System.Globalization;
using System.Text;
using AlignmentBot.Bot.Web.Data;

namespace AlignmentBot.Bot.Web;

/// <summary>
/// The dashboard's tables as CSV: the same rows, the same formatting and the same withheld cells as the page, from the
/// same <see cref="TeamDashboard.Content"/>; a spreadsheet can show nothing the page does not.
/// </summary>
public static class DashboardCsv
{
    public const string KeyResults = "key-results";
    public const string Pulses = "pulses";
    public const string Checkins = "checkins";

    public static bool IsTable(string table) => table is KeyResults or Pulses or Checkins;

    public static string Write(string table, TeamDashboard.Content content)
    {
        var digest = content.Digest;
        var csv = new StringBuilder();
        if (table == KeyResults)
        {
            Row(csv, "key result", "objective", "owner", "current", "target", "unit", "progress", "expected by now", "confidence", "state", "blocked by");
            foreach (var kr in digest.KeyResults)
            {
                var blockers = digest.BlockedBy.Where(l => l.Waiting.Id == kr.Id).Select(b => $"{b.WaitedOn.Name} ({b.Why})");
                Row(csv, kr.Title, kr.Objective, DashboardFormat.Owner(kr), Plain(kr.Current), Plain(kr.Target), kr.Unit, DashboardFormat.Percent(kr.Progress),
                    kr.Expected is { } e ? DashboardFormat.Percent(e) : "", kr.Confidence?.ToString(CultureInfo.InvariantCulture) ?? "",
                    DashboardFormat.Health(kr.Health), string.Join("; ", blockers));
            }
        }
        else if (table == Checkins)
        {
            Row(csv, "key result", "date", "value", "unit", "confidence", "blocker noted", "checked in by");
            foreach (var kr in digest.KeyResults)
            {
                foreach (var c in content.Checkins.Where(c => c.KeyResultId == kr.Id))
                {
                    Row(csv, kr.Title, DashboardFormat.Date(c.At), Plain(c.Value), kr.Unit, c.Confidence?.ToString(CultureInfo.InvariantCulture) ?? "", c.Note ?? "", c.Author ?? "");
                }
            }
        }
        else
        {
            Row(csv, "survey", "closed", "invited", "answered", "participation", "alignment score", "favourable", "enps");
            foreach (var run in digest.Runs)
            {
                var hidden = run.HiddenBecause is not null;
                Row(csv, run.Survey, DashboardFormat.Date(run.ClosedAt), run.Invited.ToString(CultureInfo.InvariantCulture),
                    hidden ? DashboardFormat.BelowThreshold(run.ScoreThreshold) : run.Respondents.ToString(CultureInfo.InvariantCulture),
                    hidden ? "" : DashboardFormat.Percent(run.Participation), DashboardFormat.Score(run),
                    hidden ? "" : DashboardFormat.Percent(run.FavourablePercent), hidden ? "" : DashboardFormat.Number(run.Enps, "0.#"));
            }
        }

        return csv.ToString();
    }

    /// <summary>Rows as CSV with this file's quoting and formula guard (the leaders' view writes its tables with it).</summary>
    public static string Table(IEnumerable<string[]> rows)
    {
        var csv = new StringBuilder();
        foreach (var row in rows)
        {
            Row(csv, row);
        }

        return csv.ToString();
    }

    private static string Plain(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
    }

    // RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @) starts with a quote mark instead.
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
