using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>
/// The digest's "You said …, we are doing …": every asked-for team's active focus in one statement of the digest's
/// batch (no query per team), with its follow-up's counts once that run closed — counts that the SQL returns only at
/// or above the survey's score threshold.
/// </summary>
public static class FocusDigest
{
    private sealed record Row(
        long Id, long TeamId, string Driver, string Survey, decimal SourceMean, decimal? SourceFavourable, string Plan, string? SetBy, DateTime SetAt,
        int? FollowupThreshold, bool FollowupClosed, int? Answers, int? Yes, int? Somewhat, int? No);

    /// <summary>One statement over <c>@Teams</c> as of <c>@At</c>, to be appended to the digest's batch.</summary>
    public const string OfTeamsSql = """
        SELECT f.id, f.team_id, f.driver, s.name AS survey, f.source_mean, f.source_favourable, f.plan, p.display_name AS set_by, f.set_at,
               fs.score_threshold AS followup_threshold,
               coalesce(fr.status = 'closed' AND fr.closed_at <= @At, false) AS followup_closed,
               CASE WHEN fa.answers >= fs.score_threshold THEN fa.answers END AS answers,
               CASE WHEN fa.answers >= fs.score_threshold THEN fa.yes END AS yes,
               CASE WHEN fa.answers >= fs.score_threshold THEN fa.somewhat END AS somewhat,
               CASE WHEN fa.answers >= fs.score_threshold THEN fa.no END AS no
        FROM focus_areas f
        JOIN survey_runs sr ON sr.id = f.source_run_id
        JOIN surveys s ON s.id = sr.survey_id
        LEFT JOIN people p ON p.id = f.set_by
        LEFT JOIN survey_runs fr ON fr.id = f.followup_run_id
        LEFT JOIN surveys fs ON fs.id = fr.survey_id
        LEFT JOIN LATERAL (
            SELECT count(*)::int AS answers,
                   count(*) FILTER (WHERE x.answer = 'yes')::int AS yes,
                   count(*) FILTER (WHERE x.answer = 'somewhat')::int AS somewhat,
                   count(*) FILTER (WHERE x.answer = 'no')::int AS no
            FROM focus_followups x
            WHERE x.focus_area_id = f.id AND x.run_id = fr.id AND fr.status = 'closed' AND fr.closed_at <= @At) fa ON true
        WHERE f.team_id = ANY(@Teams) AND f.status = 'active' AND f.set_at <= @At
        ORDER BY f.team_id, f.set_at DESC
        """;

    /// <summary>Reads the statement's rows from the batch, by team.</summary>
    public static async Task<ILookup<long, FocusLine>> ReadAsync(SqlMapper.GridReader batch) =>
        (await batch.ReadAsync<Row>()).Select(Line).ToLookup(l => l.TeamId);

    /// <summary>The teams' active focus on its own (the dashboard's form, after a write), by the same statement.</summary>
    public static async Task<IReadOnlyList<FocusLine>> QueryAsync(NpgsqlConnection connection, long[] teams, DateTimeOffset at, CancellationToken ct) =>
        [.. (await connection.QueryAsync<Row>(new CommandDefinition(OfTeamsSql, new { Teams = teams, At = at }, cancellationToken: ct))).Select(Line)];

    /// <summary>The digests with their team's focus.</summary>
    public static IReadOnlyList<TeamDigest> Attach(IReadOnlyList<TeamDigest> digests, ILookup<long, FocusLine> focus) =>
        [.. digests.Select(d => focus[d.TeamId].Any() ? d with { Focus = [.. focus[d.TeamId]] } : d)];

    private static FocusLine Line(Row r) => new(r.Id, r.TeamId, r.Driver, r.Survey, r.SourceMean, r.SourceFavourable, r.Plan, r.SetBy,
        new DateTimeOffset(DateTime.SpecifyKind(r.SetAt, DateTimeKind.Utc)),
        r.FollowupClosed && r.FollowupThreshold is { } threshold ? new FocusFollowupResult(r.Answers, r.Yes, r.Somewhat, r.No, threshold) : null);
}
