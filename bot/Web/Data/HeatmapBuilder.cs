using AlignmentBot.Scheduler.Pulses;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// Builds the leaders' heatmap from <see cref="PulseResults"/> — the <c>results</c> command's own queries, so every
/// cell obeys chat's privacy law: no aggregate for fewer respondents than the score threshold (the SQL returns none),
/// results only for a closed run, and the combined group withheld when subtracting the teams shown from it would
/// reveal a team below the threshold (next-smallest-group).
/// <para>
/// Filters add one more way to subtract: two combined figures over different sets of teams. So a filtered group
/// together is shown only when it holds no team below the threshold, or exactly the same such teams as every team
/// in view; then any difference of two shown groups holds either none of those teams or all of them together, which
/// the combined group's own rule already guards.
/// </para>
/// </summary>
public sealed class HeatmapBuilder(NpgsqlDataSource dataSource, PulseResults results)
{
    public const string AllInViewName = "All teams in your view";

    private sealed record RunRow(long RunId, string Survey, DateTime ClosedAt, int ScoreThreshold);

    // Only a closed run of this tenant: an open, cancelled or foreign run id gives no heatmap at all.
    private const string SelectRun = """
        SELECT r.id AS run_id, s.name AS survey, r.closed_at, s.score_threshold
        FROM survey_runs r JOIN surveys s ON s.id = r.survey_id
        WHERE r.id = @RunId AND s.tenant_id = @TenantId AND r.status = 'closed' AND r.closed_at <= @At
        """;

    private const string SelectAudience = """
        SELECT sa.team_id FROM survey_runs r JOIN survey_audiences sa ON sa.survey_id = r.survey_id WHERE r.id = @RunId
        """;

    private const string SelectDrivers = """
        SELECT q.id, CASE WHEN q.driver <> '' THEN q.driver ELSE q.prompt END AS driver
        FROM survey_runs r JOIN survey_questions q ON q.survey_id = r.survey_id
        WHERE r.id = @RunId AND q.kind = 'likert5'
        ORDER BY q.position
        """;

    /// <summary>
    /// The heatmap of <paramref name="runId"/> over the teams in view the run asked; with <paramref name="filtered"/>,
    /// only those teams' rows, and their group together. Null when the run is not a closed run of the tenant.
    /// </summary>
    public async Task<Heatmap?> BuildAsync(long tenantId, long runId, IReadOnlyList<LeadersScope.Team> inView, IReadOnlyList<LeadersScope.Team>? filtered,
        DateTimeOffset at, CancellationToken ct)
    {
        RunRow? run;
        HashSet<long> audience;
        List<(long Id, string Driver)> questions;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            run = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(SelectRun, new { RunId = runId, TenantId = tenantId, At = at }, cancellationToken: ct));
            if (run is null)
            {
                return null;
            }

            audience = [.. await connection.QueryAsync<long>(new CommandDefinition(SelectAudience, new { RunId = runId }, cancellationToken: ct))];
            questions = [.. await connection.QueryAsync<(long, string)>(new CommandDefinition(SelectDrivers, new { RunId = runId }, cancellationToken: ct))];
        }

        var drivers = questions.Select(q => q.Driver).Distinct(StringComparer.Ordinal).ToList();
        var driverOf = questions.ToDictionary(q => q.Id, q => q.Driver);
        var scope = inView.Where(t => audience.Contains(t.TeamId)).ToList();
        var shownTeams = filtered is null ? scope : [.. scope.Where(t => filtered.Any(f => f.TeamId == t.TeamId))];
        var rows = new List<Heatmap.Row>();
        if (scope.Count > 0)
        {
            // One call over every team in view: each team's row, and the next-smallest-group rule over all of them.
            var groups = await results.ForTeamsAsync(run.RunId, [.. scope.Select(t => (t.TeamId, t.Name))], ct) ?? [];
            var perTeam = groups.Where(g => g.TeamIds.Count == 1).ToDictionary(g => g.TeamIds[0]);
            rows.AddRange(shownTeams.Where(t => perTeam.ContainsKey(t.TeamId)).Select(t => Row(perTeam[t.TeamId], Heatmap.Kind.Team, drivers, driverOf)));
            if (groups.FirstOrDefault(g => g.TeamIds.Count > 1) is { } all)
            {
                rows.Add(Row(all with { Group = AllInViewName }, Heatmap.Kind.AllInView, drivers, driverOf));
            }

            if (filtered is not null && shownTeams.Count > 1 && shownTeams.Count < scope.Count)
            {
                rows.Add(await FilteredAsync(run, scope, shownTeams, perTeam, drivers, driverOf, ct));
            }
        }

        return new Heatmap(run.RunId, run.Survey, new DateTimeOffset(DateTime.SpecifyKind(run.ClosedAt, DateTimeKind.Utc)), run.ScoreThreshold, drivers, rows);
    }

    private async Task<Heatmap.Row> FilteredAsync(RunRow run, List<LeadersScope.Team> scope, List<LeadersScope.Team> shownTeams,
        Dictionary<long, GroupResult> perTeam, List<string> drivers, Dictionary<long, string> driverOf, CancellationToken ct)
    {
        const string name = "The filtered teams together";
        var hiddenInView = scope.Where(t => perTeam.GetValueOrDefault(t.TeamId)?.HiddenBecause is not null).Select(t => t.TeamId).ToHashSet();
        var hiddenInFilter = shownTeams.Where(t => hiddenInView.Contains(t.TeamId)).Select(t => t.TeamId).ToHashSet();
        if (hiddenInFilter.Count > 0 && !hiddenInFilter.SetEquals(hiddenInView))
        {
            return new Heatmap.Row(name, null, Heatmap.Kind.Filtered, null, [],
                $"Not shown: set beside the other groups on this page, it would let someone subtract their way to a team where fewer than {run.ScoreThreshold} people answered.");
        }

        var groups = await results.ForTeamsAsync(run.RunId, [.. shownTeams.Select(t => (t.TeamId, t.Name))], ct) ?? [];
        var together = groups.First(g => g.TeamIds.Count > 1);
        return Row(together with { Group = name }, Heatmap.Kind.Filtered, drivers, driverOf);
    }

    private static Heatmap.Row Row(GroupResult group, Heatmap.Kind kind, List<string> drivers, Dictionary<long, string> driverOf)
    {
        long? team = kind == Heatmap.Kind.Team ? group.TeamIds[0] : null;
        if (group.HiddenBecause is { } why)
        {
            // A team is hidden only for its own count; a combined group either for its count (PulseResults' "Fewer
            // than …") or by the next-smallest-group rule, when its own count may well be above the threshold.
            return new Heatmap.Row(group.Group, team, kind, null, [], why) { BelowThreshold = kind == Heatmap.Kind.Team || why.StartsWith("Fewer than", StringComparison.Ordinal) };
        }

        var byDriver = group.Questions.Where(q => q.Kind == "likert5" && driverOf.ContainsKey(q.QuestionId)).ToLookup(q => driverOf[q.QuestionId]);
        return new Heatmap.Row(group.Group, team, kind, group.Participation, [.. drivers.Select(d => Cell(d, [.. byDriver[d]]))], null);
    }

    // A driver over several questions: their means weighted by how many answered each.
    private static Heatmap.Cell Cell(string driver, List<QuestionResult> questions)
    {
        var answers = questions.Sum(q => q.Mean is null ? 0 : q.Answers);
        if (answers == 0)
        {
            return new Heatmap.Cell(driver, null, null, 0);
        }

        var mean = questions.Where(q => q.Mean is not null).Sum(q => q.Mean!.Value * q.Answers) / answers;
        var favourable = questions.Where(q => q.FavourablePercent is not null).Sum(q => q.FavourablePercent!.Value * q.Answers) / answers;
        return new Heatmap.Cell(driver, Math.Round(mean, 2), Math.Round(favourable, 1), answers);
    }
}
