using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.People;

/// <summary>
/// <c>me</c>: everything the bot keeps about the asker and where each value came from, with how to change it. Only
/// ever the asker's own data, and only in their 1:1 chat (asked elsewhere, the answer goes there).
/// </summary>
public sealed class MeCommand(NpgsqlDataSource dataSource) : IBotCommand
{
    public string Name => "me";

    public bool IsPrivate => true;

    public string Description => "What I know about you (time zone, manager, teams, roles) and where from.";

    private const string SelectMe = """
        SELECT p.display_name, p.email, p.time_zone, x.time_zone AS tenant_zone, x.platform, m.display_name AS manager, p.leader, p.away_until::timestamp AS away_until,
               p.opted_out_of_pulses, p.department, p.job_title,
               array(SELECT t.name || CASE WHEN EXISTS (SELECT 1 FROM team_managers tm WHERE tm.team_id = t.id AND tm.person_id = p.id) THEN ' (manager)' ELSE '' END
                     FROM team_members mb JOIN teams t ON t.id = mb.team_id WHERE mb.person_id = p.id ORDER BY t.name) AS teams
        FROM people p JOIN tenants x ON x.id = p.tenant_id LEFT JOIN people m ON m.id = p.manager_id
        WHERE p.id = @PersonId
        """;

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("I can only tell you what I know about you in a personal chat with me.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var me = await connection.QuerySingleOrDefaultAsync<MeView>(new CommandDefinition(SelectMe, new { PersonId = personId }, cancellationToken: ct));
        if (me is null)
        {
            return Reply.WithText("I don't know anything about you yet.");
        }

        var facts = await PersonFacts.OfAsync(connection, personId, ct);
        return Reply.WithCard(PeopleCards.Me(me, facts));
    }
}
