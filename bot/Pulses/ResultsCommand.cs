using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Scheduler.Pulses;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// <c>results</c>: the latest closed pulse's results for the teams you manage (leaders: every team). Only aggregates,
/// only above the thresholds, never who answered. Who manages and who leads is <see cref="PeopleRoles"/>' rule.
/// </summary>
public sealed class ResultsCommand(NpgsqlDataSource dataSource, PeopleRoles roles, PulseResults results) : IBotCommand
{
    public string Name => "results";

    public bool IsPrivate => true;

    public string Description => "Pulse results for the teams you manage (managers and leaders).";

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

        var teams = (await roles.ReadableAsync(turn.TenantId, personId, ct)).Teams.Select(t => (t.TeamId, t.Name)).ToList();
        if (teams.Count == 0)
        {
            return Reply.WithText("Pulse results are for team managers and leaders. Your team's weekly digest shares them with everyone.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var run = await connection.QuerySingleOrDefaultAsync<(long Id, string Name)?>(new CommandDefinition(LatestClosedRun, new { Teams = teams.Select(t => t.TeamId).ToArray() }, cancellationToken: ct));
        if (run is not { } latest)
        {
            return Reply.WithText("No pulse for your teams has closed yet. Results appear when a pulse closes.");
        }

        var groups = await results.ForTeamsAsync(latest.Id, teams, ct) ?? [];
        return Reply.WithCard(ResultsCards.Results(latest.Name, groups));
    }
}
