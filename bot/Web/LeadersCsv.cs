using System.Globalization;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Web.Components.Dashboard;
using AlignmentBot.Bot.Web.Data;

namespace AlignmentBot.Bot.Web;

/// <summary>
/// The leaders' view's tables as CSV, with the same filters, from the same <see cref="LeadersView.Content"/> as the
/// page: a cell the page withholds is withheld here too ("n &lt; 5" or "withheld"), and a filter cannot reach a group
/// the page would not show.
/// </summary>
public static class LeadersCsv
{
    public const string Rollup = "rollup";
    public const string Heatmap = "heatmap";

    public static bool IsTable(string table) => table is Rollup or Heatmap;

    public static string Path(string table, LeadersView.Filter filter, HttpContext? context = null)
    {
        var query = new List<string>();
        if (filter.RunId is { } run)
        {
            query.Add("run=" + run.ToString(CultureInfo.InvariantCulture));
        }

        if (filter.TeamId is { } team)
        {
            query.Add("team=" + team.ToString(CultureInfo.InvariantCulture));
        }

        return $"{Tab.TeamsTabPaths.LinkPrefix(context)}/leaders/{table}.csv" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    /// <summary>GET /leaders/{table}.csv?run=&amp;team=: the same scope rule as the page (403 with the reason otherwise).</summary>
    public static async Task<IResult> ExportAsync(string table, long? run, long? team, HttpContext http, DashboardViewer viewer, LeadersScope scopes, LeadersView leaders,
        CancellationToken ct)
    {
        if (!IsTable(table))
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "no-store";
        var who = await viewer.IdentifyAsync(http.User, ct);
        var scope = await scopes.DecideAsync(who, ct);
        if (!scope.Allowed || who is null)
        {
            return Results.Text(scope.Why, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var content = await leaders.LoadAsync(who.TenantId, scope, new LeadersView.Filter(run, team), ct);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"leaders-{table}.csv\"";
        return Results.Text(Write(table, content), "text/csv; charset=utf-8");
    }

    public static string Write(string table, LeadersView.Content content)
    {
        var rows = new List<string[]>();
        if (table == Rollup)
        {
            rows.Add(["team", "okr health", "key results", "alignment score", "trend", "participation", "risk flags"]);
            foreach (var team in content.Rollup)
            {
                var latest = team.Latest;
                var hidden = latest?.HiddenBecause is not null;
                rows.Add([team.Team, team.KeyResults.Count == 0 ? "no key results" : DashboardFormat.Health(team.Health), DigestText.Counts(team.KeyResults.Select(k => k.Health)),
                    latest is null ? "" : DashboardFormat.Score(latest), latest?.Trend is { } trend ? DigestText.Arrow(trend) : "",
                    latest is null ? "" : hidden ? DashboardFormat.BelowThreshold(latest.ScoreThreshold) : DashboardFormat.Percent(latest.Participation),
                    string.Join("; ", team.Flags.Select(f => $"{f.Rule}: {f.Detail}"))]);
            }
        }
        else if (content.Heatmap is { } map)
        {
            rows.Add(["survey", "closed", "group", "participation", .. map.Drivers.SelectMany(d => new[] { $"{d} mean", $"{d} favourable" })]);
            foreach (var row in map.Rows)
            {
                var withheld = row.HiddenBecause is null ? null : HeatmapSection.Withheld(row, map.Threshold);
                rows.Add([map.Survey, DashboardFormat.Date(map.ClosedAt), row.Group, withheld ?? DashboardFormat.Percent(row.Participation),
                    .. row.HiddenBecause is null
                        ? row.Cells.SelectMany(c => new[] { DashboardFormat.Number(c.Mean, "0.00"), DashboardFormat.Percent(c.FavourablePercent) })
                        : map.Drivers.SelectMany(_ => new[] { withheld!, withheld! })]);
            }
        }

        return DashboardCsv.Table(rows);
    }
}
