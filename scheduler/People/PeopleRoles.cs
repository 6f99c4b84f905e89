using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.People;

/// <summary>
/// The one rule for "manager of a team" and "leader", as every feature asks it. The rule itself lives in SQL, in the
/// views <c>team_managers</c> and <c>leaders</c> (migration 0014; 0016 adds the manager the reporting lines show), so that queries which need it inside a bigger
/// statement (nudges, digests) join the same views this class reads.
/// </summary>
public sealed class PeopleRoles(NpgsqlDataSource dataSource)
{
    /// <summary>A team a person may read results and previews of; <c>Manages</c> false means they see it as a leader.</summary>
    public sealed record ReadableTeam(long TeamId, string Name, bool Manages);

    /// <summary>What a person may read: every team when they are a leader, else the teams they manage.</summary>
    public sealed record Readable(bool Leader, IReadOnlyList<ReadableTeam> Teams);

    /// <summary>
    /// The team's manager who should hear about a key result: the first by rank (the named manager, then managers by
    /// role, lowest id first) who is not the owner, as an SQL scalar subquery over the caller's team and owner columns.
    /// </summary>
    public static string FirstManagerOf(string teamColumn, string ownerColumn) => $"""
        (SELECT tm.person_id FROM team_managers tm
         WHERE tm.team_id = {teamColumn} AND tm.person_id <> {ownerColumn}
         ORDER BY tm.rank, tm.person_id LIMIT 1)
        """;

    /// <summary>Active leaders of a tenant, as an SQL array expression over a tenant id column.</summary>
    public static string LeadersOf(string tenantColumn) =>
        $"array(SELECT l.person_id FROM leaders l WHERE l.tenant_id = {tenantColumn} ORDER BY l.person_id)";

    private const string SelectIsLeader = """
        SELECT EXISTS (SELECT 1 FROM leaders WHERE tenant_id = @TenantId AND person_id = @PersonId)
        """;

    private const string SelectReadable = """
        SELECT t.id AS team_id, t.name,
               EXISTS (SELECT 1 FROM team_managers m WHERE m.team_id = t.id AND m.person_id = @PersonId) AS manages
        FROM teams t
        WHERE t.tenant_id = @TenantId
          AND (@Leader OR EXISTS (SELECT 1 FROM team_managers m WHERE m.team_id = t.id AND m.person_id = @PersonId))
        ORDER BY t.name, t.id
        """;

    public async Task<bool> IsLeaderAsync(long tenantId, long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SelectIsLeader, new { TenantId = tenantId, PersonId = personId }, cancellationToken: ct));
    }

    /// <summary>The teams whose aggregates the person may read (results, digest previews).</summary>
    public async Task<Readable> ReadableAsync(long tenantId, long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var leader = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SelectIsLeader, new { TenantId = tenantId, PersonId = personId }, cancellationToken: ct));
        var teams = await connection.QueryAsync<ReadableTeam>(new CommandDefinition(SelectReadable,
            new { TenantId = tenantId, PersonId = personId, Leader = leader }, cancellationToken: ct));
        return new Readable(leader, [.. teams]);
    }
}
