using AlignmentBot.Bot.Digests;
using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// The leaders' view: the weekly roll-up (the digest builder's team digests, their risk flags and the roll-up card's
/// order — the same code as the leaders' chat roll-up) and the teams × drivers heatmap of one closed run, both
/// narrowed by the filters (a run, a team and the teams under it). The page and its CSV files read this one model.
/// </summary>
public sealed class LeadersView(NpgsqlDataSource dataSource, DigestBuilder digests, HeatmapBuilder heatmaps, TimeProvider time)
{
    /// <summary>The filters as asked (query string); unknown or foreign ids are ignored, never an error that confirms them.</summary>
    public sealed record Filter(long? RunId, long? TeamId);

    /// <summary>A closed run the heatmap can show.</summary>
    public sealed record RunChoice(long RunId, string Survey, DateTimeOffset ClosedAt);

    /// <summary>What the page shows: the teams in view, the filter as applied, the roll-up and the heatmap.</summary>
    public sealed record Content(
        LeadersScope.Decision Scope,
        DateTimeOffset At,
        string TimeZone,
        LeadersScope.Team? FilterTeam,
        IReadOnlyList<RunChoice> Runs,
        IReadOnlyList<TeamDigest> Rollup,
        Heatmap? Heatmap);

    public const int RunChoices = 12;

    private sealed record RunRow(long RunId, string Survey, DateTime ClosedAt);

    // Closed runs of surveys that asked at least one team in view, newest first.
    private const string SelectRuns = """
        SELECT r.id AS run_id, s.name AS survey, r.closed_at
        FROM survey_runs r JOIN surveys s ON s.id = r.survey_id
        WHERE s.tenant_id = @TenantId AND r.status = 'closed' AND r.closed_at <= @At
          AND EXISTS (SELECT 1 FROM survey_audiences sa WHERE sa.survey_id = s.id AND sa.team_id = ANY(@Teams))
        ORDER BY r.closed_at DESC, r.id DESC
        LIMIT @Limit
        """;

    public async Task<Content> LoadAsync(long tenantId, LeadersScope.Decision scope, Filter filter, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var teams = scope.Teams;
        var root = filter.TeamId is { } id ? teams.FirstOrDefault(t => t.TeamId == id) : null;
        var selected = root is null ? null : LeadersScope.Subtree(teams, root.TeamId);
        var ids = (selected ?? teams).Select(t => t.TeamId).ToArray();

        List<RunChoice> runs;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(SelectRuns,
                new { TenantId = tenantId, At = now, Teams = teams.Select(t => t.TeamId).ToArray(), Limit = RunChoices }, cancellationToken: ct));
            runs = [.. rows.Select(r => new RunChoice(r.RunId, r.Survey, new DateTimeOffset(DateTime.SpecifyKind(r.ClosedAt, DateTimeKind.Utc))))];
        }

        var run = runs.FirstOrDefault(r => r.RunId == filter.RunId) ?? runs.FirstOrDefault();
        var rollup = ids.Length == 0 ? [] : RollupCards.Ordered(await digests.BuildAsync(tenantId, ids, now, ct));
        var heatmap = run is null ? null : await heatmaps.BuildAsync(tenantId, run.RunId, teams, selected, now, ct);
        return new Content(scope, now, await digests.TenantTimeZoneAsync(tenantId, ct), root, runs, rollup, heatmap);
    }
}
