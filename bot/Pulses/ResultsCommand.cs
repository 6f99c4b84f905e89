using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Pulses;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// <c>results</c>: the latest closed pulse's results for the teams you manage (leaders: every team). Only aggregates,
/// only above the thresholds, never who answered. Leaders are listed in the tenant's settings
/// (<c>{"leaders": ["29:..."]}</c>).
/// </summary>
public sealed class ResultsCommand(NpgsqlDataSource dataSource, PulseResults results) : IBotCommand
{
    public string Name => "results";

    public bool IsPrivate => true;

    public string Description => "Pulse results for the teams you manage (managers and leaders).";

    private const string ReadableTeams = """
        SELECT t.id AS team_id, t.name FROM teams t
        WHERE t.tenant_id = @TenantId AND (
              t.manager_id = @PersonId
           OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.person_id = @PersonId AND m.role = 'manager')
           OR EXISTS (SELECT 1 FROM tenants x JOIN people p ON p.id = @PersonId
                      WHERE x.id = t.tenant_id AND x.settings->'leaders' ? p.platform_user_id))
        ORDER BY t.name
        """;

    private const string LatestClosedRun = """
        SELECT r.id, s.name FROM survey_runs r
        JOIN surveys s ON s.id = r.survey_id
        WHERE r.status = 'closed' AND EXISTS (SELECT 1 FROM survey_audiences a WHERE a.survey_id = s.id AND a.team_id = ANY(@Teams))
        ORDER BY r.closed_at DESC NULLS LAST, r.id DESC
        LIMIT 1
        """;

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("Results are shown to team managers and leaders in a personal chat with me.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var teams = (await connection.QueryAsync<(long TeamId, string Name)>(new CommandDefinition(ReadableTeams, new { turn.TenantId, PersonId = personId }, cancellationToken: ct))).AsList();
        if (teams.Count == 0)
        {
            return Reply.WithText("Pulse results are for team managers and leaders. Your team's weekly digest shares them with everyone.");
        }

        var run = await connection.QuerySingleOrDefaultAsync<(long Id, string Name)?>(new CommandDefinition(LatestClosedRun, new { Teams = teams.Select(t => t.TeamId).ToArray() }, cancellationToken: ct));
        if (run is not { } latest)
        {
            return Reply.WithText("No pulse for your teams has closed yet. Results appear when a pulse closes.");
        }

        var groups = await results.ForTeamsAsync(latest.Id, teams, ct) ?? [];
        return Reply.WithCard(ResultsCards.Results(latest.Name, groups));
    }
}
