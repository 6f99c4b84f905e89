using System.Data;
using AlignmentBot.Scheduler.FocusAreas;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>
/// Builds the weekly digest of one team or of many at once. Each section is one set-based query over all the teams
/// asked for, so the same code serves a team's digest (one id) and the leaders' roll-up (every team of the tenant)
/// without a query per team per section; scripts/bench/digest.sh measures both. A team's digest is one round trip:
/// the team and every section (dependencies included) go to the database as one batch in one snapshot.
/// Privacy lives in the SQL: a pulse aggregate below the survey's score threshold is never read out of the database.
/// </summary>
public sealed class DigestBuilder(NpgsqlDataSource dataSource)
{
    private sealed record TeamRow(long TeamId, string Name, string TimeZone);

    private sealed record KeyResultRow(
        long TeamId, long Id, string Title, string Objective, string? Owner, DateOnly? OwnerAwayUntil, decimal StartValue, decimal TargetValue,
        decimal CurrentValue, string Unit, short? Confidence, DateOnly? StartsOn, DateOnly? DueOn, int CheckinCadenceDays,
        DateTime? LastCheckinAt, DateTime CreatedAt, DateTime OverdueSince, decimal? ValueWeekAgo, short? ConfidenceWeekAgo);

    private sealed record ObjectiveRow(long TeamId, string Title, string? Serves);

    private sealed record RunRow(
        long TeamId, long RunId, long SurveyId, string Survey, DateTime ClosedAt, int ScoreThreshold, int Invited, int Respondents,
        decimal? AlignmentScore, decimal? FavourablePercent, decimal? Enps);

    // Only the tenant's own: a team id from elsewhere gives no digest (its sections are read, then dropped).
    private const string SelectTeams = """
        SELECT t.id AS team_id, t.name, coalesce(t.time_zone, x.time_zone) AS time_zone
        FROM teams t JOIN tenants x ON x.id = t.tenant_id
        WHERE t.tenant_id = @TenantId AND t.id = ANY(@Teams)
        ORDER BY t.name, t.id
        """;

    private const string SelectTenantTeams = "SELECT id FROM teams WHERE tenant_id = @TenantId";

    // The value a week ago is the last check-in at or before then; before any check-in it was the start value.
    // Overdue with the key result's tenant's grace, read in the same query (t).
    internal static readonly string SelectKeyResults = $"""
        SELECT o.team_id, kr.id, kr.title, o.title AS objective, p.display_name AS owner, p.away_until AS owner_away_until,
               kr.start_value, kr.target_value, kr.current_value, kr.unit, kr.confidence, kr.starts_on, kr.due_on,
               kr.checkin_cadence_days, kr.last_checkin_at, kr.created_at,
               {KeyResultRules.OverdueSinceForTenantSql} AS overdue_since,
               CASE WHEN wk.value IS NOT NULL THEN wk.value WHEN kr.created_at <= @WeekAgo THEN kr.start_value END AS value_week_ago,
               wk.confidence AS confidence_week_ago
        FROM objectives o
        JOIN key_results kr ON kr.objective_id = o.id
        JOIN tenants t ON t.id = kr.tenant_id
        LEFT JOIN people p ON p.id = kr.owner_id
        LEFT JOIN LATERAL (SELECT c.value, c.confidence FROM checkins c
                           WHERE c.key_result_id = kr.id AND c.created_at <= @WeekAgo
                           ORDER BY c.created_at DESC LIMIT 1) wk ON true
        WHERE o.team_id = ANY(@Teams)
        ORDER BY o.team_id, kr.id
        """;

    // The line of sight: for each team objective, the nearest company objective (no team) above it.
    internal const string SelectObjectives = """
        WITH RECURSIVE up AS (
            SELECT o.id AS objective_id, o.team_id, o.title, o.parent_objective_id AS next_id, NULL::text AS serves, 0 AS depth
            FROM objectives o WHERE o.team_id = ANY(@Teams)
          UNION ALL
            SELECT up.objective_id, up.team_id, up.title, p.parent_objective_id, CASE WHEN p.team_id IS NULL THEN p.title END, up.depth + 1
            FROM up JOIN objectives p ON p.id = up.next_id
            WHERE up.serves IS NULL AND up.depth < 16
        )
        SELECT DISTINCT ON (objective_id) team_id, title, serves
        FROM up
        ORDER BY objective_id, (serves IS NULL), depth
        """;

    // The last closed runs per team; the threshold is applied here, so below it no aggregate leaves the database.
    internal const string SelectRuns = """
        SELECT a.team_id, r.id AS run_id, r.survey_id, s.name AS survey, r.closed_at, s.score_threshold, inv.invited, agg.respondents,
               CASE WHEN agg.respondents >= s.score_threshold THEN round(agg.likert, 2) END AS alignment_score,
               CASE WHEN agg.respondents >= s.score_threshold THEN round(agg.favourable, 1) END AS favourable_percent,
               CASE WHEN agg.respondents >= s.score_threshold THEN round(agg.enps, 1) END AS enps
        FROM unnest(@Teams) AS a(team_id)
        CROSS JOIN LATERAL (
            SELECT r.id, r.survey_id, r.closed_at FROM survey_audiences sa
            JOIN survey_runs r ON r.survey_id = sa.survey_id
            WHERE sa.team_id = a.team_id AND r.status = 'closed' AND r.closed_at <= @At
            ORDER BY r.closed_at DESC, r.id DESC
            LIMIT @Runs) r
        JOIN surveys s ON s.id = r.survey_id
        CROSS JOIN LATERAL (SELECT count(*)::int AS invited FROM invitations i WHERE i.run_id = r.id AND i.team_id = a.team_id) inv
        CROSS JOIN LATERAL (
            SELECT count(DISTINCT x.respondent_key)::int AS respondents,
                   avg(x.value_number) FILTER (WHERE q.kind = 'likert5') AS likert,
                   100.0 * count(*) FILTER (WHERE q.kind = 'likert5' AND x.value_number >= 4) / nullif(count(*) FILTER (WHERE q.kind = 'likert5'), 0) AS favourable,
                   100.0 * (count(*) FILTER (WHERE q.kind = 'enps' AND x.value_number >= 9) - count(*) FILTER (WHERE q.kind = 'enps' AND x.value_number <= 6))
                         / nullif(count(*) FILTER (WHERE q.kind = 'enps'), 0) AS enps
            FROM responses x JOIN survey_questions q ON q.id = x.question_id
            WHERE x.run_id = r.id AND x.team_id = a.team_id) agg
        ORDER BY a.team_id, r.closed_at, r.id
        """;

    // The team rows and every section, dependencies included, in one round trip.
    private static readonly string TeamsAndSections = string.Join(";\n", SelectTeams, SelectKeyResults, SelectObjectives, SelectRuns, DependencyReader.OfTeamsSql, FocusDigest.OfTeamsSql);

    private const string SelectTenantZone = "SELECT time_zone FROM tenants WHERE id = @TenantId";

    /// <summary>The tenant's IANA zone (the roll-up's), UTC when the tenant is unknown.</summary>
    public async Task<string> TenantTimeZoneAsync(long tenantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SelectTenantZone, new { TenantId = tenantId }, cancellationToken: ct)) ?? "UTC";
    }

    /// <summary>The digests of the given teams of the tenant (all of its teams when null), as of <paramref name="at"/>.</summary>
    public async Task<IReadOnlyList<TeamDigest>> BuildAsync(long tenantId, IReadOnlyList<long>? teamIds, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for every section, so a check-in landing mid-build cannot make them disagree (Npgsql sends the
        // BEGIN together with the first statement).
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        if (teamIds is not { Count: 1 })
        {
            // For many teams the planner's estimate of the per-team, per-run aggregates crosses jit_above_cost, and
            // compiling them took longer than running them (scripts/bench/digest.sh: ~280 ms of a ~590 ms query).
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL jit = off", transaction: transaction, cancellationToken: ct));
        }

        long[] ids = teamIds is null
            ? [.. await connection.QueryAsync<long>(new CommandDefinition(SelectTenantTeams, new { TenantId = tenantId }, transaction, cancellationToken: ct))]
            : [.. teamIds];
        if (ids.Length == 0)
        {
            return [];
        }

        await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(TeamsAndSections, Arguments(tenantId, ids, at), transaction, cancellationToken: ct));
        var teams = (await batch.ReadAsync<TeamRow>()).AsList();
        var keyResults = (await batch.ReadAsync<KeyResultRow>()).ToLookup(k => k.TeamId);
        var objectives = (await batch.ReadAsync<ObjectiveRow>()).ToLookup(o => o.TeamId);
        var runs = (await batch.ReadAsync<RunRow>()).ToLookup(r => r.TeamId);
        var dependencies = await DependencyReader.ReadAsync(batch, at);
        var focus = await FocusDigest.ReadAsync(batch);

        var today = DateOnly.FromDateTime(at.UtcDateTime);
        List<TeamDigest> digests = [.. teams.Select(t => new TeamDigest(t.TeamId, t.Name, t.TimeZone, at,
            [.. keyResults[t.TeamId].Select(k => KeyResult(k, at, today))],
            [.. objectives[t.TeamId].OrderBy(o => o.Title, StringComparer.Ordinal).Select(o => new ObjectiveLine(o.Title, o.Serves))],
            Trend(runs[t.TeamId].ToList())))];
        return FocusDigest.Attach(DigestDependencies.Attach(digests, dependencies), focus);
    }

    /// <summary>The batch's parameters (also used by scripts/bench/digest.sh to EXPLAIN its sections).</summary>
    internal static object Arguments(long tenantId, long[] teams, DateTimeOffset at) =>
        new { TenantId = tenantId, Teams = teams, At = at, WeekAgo = at.AddDays(-7), Runs = TeamDigest.TrendRuns + 1 };

    private static KeyResultLine KeyResult(KeyResultRow k, DateTimeOffset at, DateOnly today)
    {
        var overdue = at >= Utc(k.OverdueSince);
        var progress = KeyResultRules.Progress(k.StartValue, k.TargetValue, k.CurrentValue);
        double? expected = k.StartsOn is { } starts && k.DueOn is { } due && due > starts
            ? Math.Clamp((at - Utc(starts)).TotalDays / (due.DayNumber - starts.DayNumber), 0, 1)
            : null;
        var baseline = k.LastCheckinAt is { } last ? Utc(last) : Later(Utc(k.CreatedAt), k.StartsOn);
        var checkedInThisWeek = k.LastCheckinAt is { } l && Utc(l) > at.AddDays(-7);
        return new KeyResultLine(k.Id, k.Title, k.Objective, k.Owner, k.OwnerAwayUntil >= today,
            k.StartValue, k.TargetValue, k.CurrentValue, k.Unit, k.Confidence,
            KeyResultRules.Health(k.Confidence, overdue), progress, expected,
            k.CurrentValue - k.ValueWeekAgo,
            k.ValueWeekAgo is { } before ? progress - KeyResultRules.Progress(k.StartValue, k.TargetValue, before) : null,
            checkedInThisWeek && k.Confidence > k.ConfidenceWeekAgo,
            at - baseline >= TimeSpan.FromDays(2 * k.CheckinCadenceDays));
    }

    /// <summary>Oldest first, at most <see cref="TeamDigest.TrendRuns"/>; each carries its survey's previous shown score.</summary>
    private static List<PulseRunLine> Trend(List<RunRow> runs)
    {
        var lines = new List<PulseRunLine>();
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            var previous = runs.Take(i).LastOrDefault(p => p.SurveyId == r.SurveyId);
            lines.Add(new PulseRunLine(r.RunId, r.SurveyId, r.Survey, Utc(r.ClosedAt), r.Invited, r.Respondents,
                r.AlignmentScore, r.FavourablePercent, r.Enps, previous?.AlignmentScore,
                r.AlignmentScore is null && r.Respondents < r.ScoreThreshold
                    ? $"Fewer than {r.ScoreThreshold} people answered, so no score is shown: results for fewer could identify them."
                    : null) { ScoreThreshold = r.ScoreThreshold });
        }

        return lines.Count > TeamDigest.TrendRuns ? lines[^TeamDigest.TrendRuns..] : lines;
    }

    private static DateTimeOffset Later(DateTimeOffset createdAt, DateOnly? startsOn) =>
        startsOn is { } start && Utc(start) > createdAt ? Utc(start) : createdAt;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset Utc(DateOnly value) => new(value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
