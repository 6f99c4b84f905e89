using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.People;

/// <summary>The admin's read-back of who is who, and the two things an admin sets outside a file: leaders and a team's managers.</summary>
public sealed class PeopleAdminStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>A name (email, user id or Entra object id) that matches no one; the message names it.</summary>
    public sealed class UnknownPeopleException(IReadOnlyList<string> names)
        : Exception($"Not known: {string.Join(", ", names.Select(n => $"\"{n}\""))} (use an email, user id or Entra object id of someone the bot knows).");

    // Properties, not a constructor: Dapper hands text[] columns over as arrays only to setters.
    private sealed class PersonRow
    {
        public long Id { get; init; }
        public string PlatformUserId { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string? Email { get; init; }
        public string? TimeZone { get; init; }
        public string? Manager { get; init; }
        public bool Active { get; init; }
        public bool OptedOutOfPulses { get; init; }
        public bool Leader { get; init; }
        public string? Department { get; init; }
        public string? JobTitle { get; init; }
        public string[] Teams { get; init; } = [];
        public string[] Sources { get; init; } = [];
    }

    private const string SelectPeople = """
        SELECT p.id, p.platform_user_id, p.display_name, p.email, p.time_zone, m.platform_user_id AS manager, p.active, p.opted_out_of_pulses,
               p.leader, p.department, p.job_title,
               array(SELECT t.name || ':' || CASE WHEN EXISTS (SELECT 1 FROM team_managers x WHERE x.team_id = t.id AND x.person_id = p.id) THEN 'manager' ELSE 'member' END
                     FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE tm.person_id = p.id ORDER BY t.name) AS teams,
               array(SELECT DISTINCT ON (f.field) f.field || '=' || f.source FROM person_facts f WHERE f.person_id = p.id
                     ORDER BY f.field, array_position(ARRAY['platform', 'graph', 'file', 'self'], f.source) DESC) AS sources
        FROM people p LEFT JOIN people m ON m.id = p.manager_id
        WHERE p.tenant_id = @TenantId AND p.id > @After
          AND (@Team IS NULL OR EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
                                        WHERE tm.person_id = p.id AND (lower(t.name) = lower(@Team) OR t.external_id = @Team)))
          AND (@Role IS NULL
               OR (@Role = 'leader' AND p.leader AND p.active)
               OR (@Role = 'manager' AND EXISTS (SELECT 1 FROM team_managers x JOIN teams t ON t.id = x.team_id WHERE x.person_id = p.id
                                                AND (@Team IS NULL OR lower(t.name) = lower(@Team) OR t.external_id = @Team)))
               OR (@Role = 'member' AND NOT EXISTS (SELECT 1 FROM team_managers x WHERE x.person_id = p.id)))
        ORDER BY p.id
        LIMIT @Limit
        """;

    /// <summary>One page of people (ordered by id; pass the last id as <paramref name="after"/>); null for an unknown tenant.</summary>
    public async Task<IReadOnlyList<PersonView>?> PeopleAsync(TenantAddress tenant, string? team, string? role, long after, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await TenantIdAsync(connection, null, tenant, ct) is not { } tenantId)
        {
            return null;
        }

        var rows = await connection.QueryAsync<PersonRow>(new CommandDefinition(SelectPeople,
            new { TenantId = tenantId, Team = team, Role = role, After = after, Limit = limit }, cancellationToken: ct));
        return [.. rows.Select(r => new PersonView(r.Id, r.PlatformUserId, r.DisplayName, r.Email, r.TimeZone, r.Manager, r.Active, r.OptedOutOfPulses, r.Leader,
            r.Department, r.JobTitle, r.Teams, r.Sources.Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => s[1])))];
    }

    private const string SelectTeams = """
        SELECT t.id, t.name, t.external_id, (SELECT count(*)::int FROM team_members tm WHERE tm.team_id = t.id) AS members,
               array(SELECT p.display_name || ' (' || p.platform_user_id || ')' FROM team_managers x JOIN people p ON p.id = x.person_id
                     WHERE x.team_id = t.id ORDER BY x.rank, x.person_id) AS managers
        FROM teams t WHERE t.tenant_id = @TenantId
        ORDER BY t.name, t.id
        """;

    private sealed class TeamRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string? ExternalId { get; init; }
        public int Members { get; init; }
        public string[] Managers { get; init; } = [];
    }

    public async Task<IReadOnlyList<TeamView>?> TeamsAsync(TenantAddress tenant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await TenantIdAsync(connection, null, tenant, ct) is not { } tenantId)
        {
            return null;
        }

        return [.. (await connection.QueryAsync<TeamRow>(new CommandDefinition(SelectTeams, new { TenantId = tenantId }, cancellationToken: ct)))
            .Select(t => new TeamView(t.Id, t.Name, t.ExternalId, t.Members, t.Managers))];
    }

    private const string SelectLeaderFacts = "SELECT person_id FROM person_facts f JOIN people p ON p.id = f.person_id WHERE p.tenant_id = @TenantId AND f.field = 'leader' AND f.source = 'file' AND f.value = 'true'";

    /// <summary>The tenant's leaders are exactly these people (as the admin says, source "file"); false for an unknown tenant.</summary>
    public async Task<bool> SetLeadersAsync(TenantAddress tenant, IReadOnlyList<string> names, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await TenantIdAsync(connection, transaction, tenant, ct) is not { } tenantId)
        {
            return false;
        }

        var leaders = await ResolveAsync(connection, transaction, tenantId, names, ct);
        var before = await connection.QueryAsync<long>(new CommandDefinition(SelectLeaderFacts, new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var facts = before.Except(leaders).Select(id => new PersonFact(id, PersonFacts.Leader, PersonFacts.File, PersonFacts.Bool(false)))
            .Concat(leaders.Select(id => new PersonFact(id, PersonFacts.Leader, PersonFacts.File, PersonFacts.Bool(true)))).ToList();
        await PersonFacts.WriteAsync(connection, transaction, facts, time.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>The team's managers are exactly these people, the first its named manager; false for an unknown tenant or team.</summary>
    public async Task<bool> SetTeamManagersAsync(TenantAddress tenant, string team, IReadOnlyList<string> names, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await TenantIdAsync(connection, transaction, tenant, ct) is not { } tenantId
            || await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM teams WHERE tenant_id = @TenantId AND (lower(name) = lower(@Team) OR external_id = @Team OR id::text = @Team) ORDER BY id LIMIT 1",
                new { TenantId = tenantId, Team = team }, transaction, cancellationToken: ct)) is not { } teamId)
        {
            return false;
        }

        await TeamRoles.SetManagersAsync(connection, transaction, teamId, await ResolveAsync(connection, transaction, tenantId, names, ct), time.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private const string Resolve = """
        SELECT n.name, (SELECT p.id FROM people p WHERE p.tenant_id = @TenantId
                        AND (lower(p.email) = lower(n.name) OR p.platform_user_id = n.name OR p.aad_object_id = n.name) ORDER BY p.id LIMIT 1) AS id
        FROM unnest(@Names) WITH ORDINALITY AS n(name, position) ORDER BY n.position
        """;

    private static async Task<List<long>> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, IReadOnlyList<string> names, CancellationToken ct)
    {
        var found = (await connection.QueryAsync<(string Name, long? Id)>(new CommandDefinition(Resolve, new { TenantId = tenantId, Names = names.ToArray() }, transaction, cancellationToken: ct))).ToList();
        var unknown = found.Where(f => f.Id is null).Select(f => f.Name).ToList();
        return unknown.Count > 0 ? throw new UnknownPeopleException(unknown) : [.. found.Select(f => f.Id!.Value).Distinct()];
    }

    private static Task<long?> TenantIdAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantAddress tenant, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM tenants WHERE platform = @Platform AND external_id = @Tenant", tenant.Args, transaction, cancellationToken: ct));
}
