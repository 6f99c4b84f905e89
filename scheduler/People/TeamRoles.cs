using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.People;

/// <summary>
/// Memberships and roles the admin gives (source "file"): they beat the roster, which never removes or demotes them.
/// Each write changes only rows that differ, so saying the same again writes nothing.
/// </summary>
public static class TeamRoles
{
    private const string UpsertMemberships = """
        INSERT INTO team_members (team_id, person_id, role, source, joined_at)
        SELECT m.team_id, m.person_id, m.role, 'file', @Now FROM unnest(@TeamIds, @PersonIds, @Roles) AS m(team_id, person_id, role)
        ON CONFLICT (team_id, person_id) DO UPDATE SET role = EXCLUDED.role, source = 'file'
        WHERE team_members.role <> EXCLUDED.role OR team_members.source <> 'file'
        """;

    // The file's memberships of the people it lists are exactly what it says: one it gave before and no longer lists goes.
    private const string DeleteOthers = """
        DELETE FROM team_members tm
        USING unnest(@PersonIds) AS p(person_id)
        WHERE tm.person_id = p.person_id AND tm.source = 'file'
          AND NOT EXISTS (SELECT 1 FROM unnest(@TeamIds, @Members) AS k(team_id, person_id) WHERE k.team_id = tm.team_id AND k.person_id = tm.person_id)
        """;

    /// <summary>Sets each listed person's file memberships to exactly the given teams and roles; returns the rows changed.</summary>
    public static async Task<int> ReplaceFileMembershipsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(long PersonId, IReadOnlyList<(long TeamId, string Role)> Teams)> people, DateTimeOffset now, CancellationToken ct)
    {
        if (people.Count == 0)
        {
            return 0;
        }

        var rows = people.SelectMany(p => p.Teams.DistinctBy(t => t.TeamId).Select(t => (p.PersonId, t.TeamId, t.Role))).ToList();
        var upserted = await connection.ExecuteAsync(new CommandDefinition(UpsertMemberships, new
        {
            TeamIds = rows.Select(r => r.TeamId).ToArray(), PersonIds = rows.Select(r => r.PersonId).ToArray(), Roles = rows.Select(r => r.Role).ToArray(), Now = now,
        }, transaction, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteOthers, new
        {
            PersonIds = people.Select(p => p.PersonId).ToArray(), TeamIds = rows.Select(r => r.TeamId).ToArray(), Members = rows.Select(r => r.PersonId).ToArray(),
        }, transaction, cancellationToken: ct));
        return upserted + deleted;
    }

    private const string SetManagers = """
        UPDATE teams SET manager_id = @First WHERE id = @TeamId AND manager_id IS DISTINCT FROM @First;
        UPDATE team_members SET role = 'member' WHERE team_id = @TeamId AND role = 'manager' AND person_id <> ALL(@Managers);
        INSERT INTO team_members (team_id, person_id, role, source, joined_at)
        SELECT @TeamId, m, 'manager', 'file', @Now FROM unnest(@Managers) AS m
        ON CONFLICT (team_id, person_id) DO UPDATE SET role = 'manager', source = 'file'
        WHERE team_members.role <> 'manager' OR team_members.source <> 'file';
        """;

    /// <summary>A team's managers are exactly these people (the first is its named manager); returns the rows changed.</summary>
    public static async Task<int> SetManagersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long teamId, IReadOnlyList<long> managers,
        DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(SetManagers,
            new { TeamId = teamId, First = managers.Count > 0 ? managers[0] : (long?)null, Managers = managers.ToArray(), Now = now }, transaction, cancellationToken: ct));
}
