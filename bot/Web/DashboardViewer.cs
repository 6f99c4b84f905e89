using System.Security.Claims;
using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.People;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bot.Web;

/// <summary>What a signed-in person may see of one team, and why.</summary>
public enum TeamView
{
    /// <summary>Not theirs to see (not in the directory, not a member, another tenant's, or no such team).</summary>
    Forbidden,

    /// <summary>What the team's channel sees in its weekly digest.</summary>
    Member,

    /// <summary>The member view and the pulse results per question: a manager of the team, a leader, or an admin.</summary>
    Manager,
}

/// <summary>
/// Matches a signed-in person (Entra <c>tid</c> + <c>oid</c>) to the directory and decides what they see of a team,
/// by the same rules chat uses: <see cref="PeopleRoles"/> for managers and leaders, team membership for members,
/// and <see cref="AdminAccess"/> for a signed-in admin's tenant.
/// </summary>
public sealed class DashboardViewer(NpgsqlDataSource dataSource, PeopleRoles roles, AdminAccess admins, IOptions<DashboardOptions> options)
{
    /// <summary>The person behind a session: their tenant and, when the directory knows them, their person id.</summary>
    public sealed record Who(long TenantId, string TenantExternalId, long? PersonId, string Name, bool Admin, string Platform = AdminCaller.Teams);

    /// <summary>The verdict for one team, with its name when it may be seen.</summary>
    public sealed record Decision(TeamView View, string? Team, string Why);

    /// <summary>A team on the person's list, with the view they get of it.</summary>
    public sealed record VisibleTeam(long TeamId, string Name, TeamView View);

    private sealed record PersonRow(long TenantId, string ExternalId, long? PersonId, string? DisplayName);

    // Teams people only: a Slack workspace signs in with Slack, not Entra.
    private const string SelectPerson = """
        SELECT x.id AS tenant_id, x.external_id, p.id AS person_id, p.display_name
        FROM tenants x
        LEFT JOIN people p ON p.tenant_id = x.id AND p.aad_object_id = @ObjectId AND p.active
        WHERE x.platform = 'teams' AND x.external_id = @Tenant
        ORDER BY p.id
        LIMIT 1
        """;

    private const string SelectTeam = """
        SELECT name, EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.person_id = @PersonId) AS member
        FROM teams t WHERE t.id = @TeamId AND t.tenant_id = @TenantId
        """;

    /// <summary>The signed-in person as the directory knows them; null when their organisation is not one of the bot's.</summary>
    public async Task<Who?> IdentifyAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (SignIn.SlackPeople.Ids(user) is not null)
        {
            return await SignIn.SlackPeople.IdentifyAsync(dataSource, user, options.Value.Admins, ct);
        }

        var tenant = user.FindFirstValue("tid");
        var objectId = user.FindFirstValue("oid");
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(objectId))
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(SelectPerson, new { Tenant = tenant, ObjectId = objectId }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var settings = options.Value;
        var admin = (settings.AdminRole.Length > 0 && user.HasClaim("roles", settings.AdminRole)) || settings.Admins.Contains(objectId, StringComparer.OrdinalIgnoreCase);
        return new Who(row.TenantId, row.ExternalId, row.PersonId, row.DisplayName ?? user.FindFirstValue("name") ?? "", admin);
    }

    /// <summary>What <paramref name="who"/> may see of the team: manager view, member view, or nothing.</summary>
    public async Task<Decision> DecideAsync(Who? who, long teamId, CancellationToken ct)
    {
        if (who is null)
        {
            return new Decision(TeamView.Forbidden, null, "Your organisation does not use AlignmentBot, or has not added you yet.");
        }

        if (who.Admin)
        {
            // The admin rule: a signed-in admin acts for their own tenant only, as a tenant key does.
            var access = await admins.DecideAsync(AdminCaller.SignedInAdmin(who.TenantExternalId, who.Platform), AdminResource.Team, teamId.ToString(System.Globalization.CultureInfo.InvariantCulture), who.Platform, ct);
            if (access is { Allowed: true, TenantId: { } tenant } && tenant == who.TenantId)
            {
                return new Decision(TeamView.Manager, await TeamNameAsync(teamId, who, ct), "You are an admin of your organisation.");
            }
        }

        if (who.PersonId is not { } personId)
        {
            return new Decision(TeamView.Forbidden, null, "You are not in AlignmentBot's directory yet: it learns people from Teams rosters and the HR file your admin imports.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var team = await connection.QuerySingleOrDefaultAsync<(string Name, bool Member)?>(new CommandDefinition(SelectTeam,
            new { TeamId = teamId, who.TenantId, PersonId = personId }, cancellationToken: ct));
        if (team is not { } found)
        {
            return new Decision(TeamView.Forbidden, null, "This is not a team of your organisation that you belong to.");
        }

        var readable = await roles.ReadableAsync(who.TenantId, personId, ct);
        if (readable.Teams.FirstOrDefault(t => t.TeamId == teamId) is { } reads)
        {
            return new Decision(TeamView.Manager, found.Name, reads.Manages ? "You manage this team." : "You are a leader.");
        }

        return found.Member
            ? new Decision(TeamView.Member, found.Name, "You are a member of this team.")
            : new Decision(TeamView.Forbidden, null, "This is not a team of your organisation that you belong to.");
    }

    // Every team of the tenant for leaders and admins; otherwise the ones the person manages or belongs to.
    private const string SelectVisibleTeams = """
        SELECT t.id AS team_id, t.name,
               (@All OR t.id = ANY(@Managed)) AS manager
        FROM teams t
        WHERE t.tenant_id = @TenantId
          AND (@All OR t.id = ANY(@Managed) OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.person_id = @PersonId))
        ORDER BY t.name, t.id
        """;

    /// <summary>The teams the person may open, by the same rules as <see cref="DecideAsync"/>.</summary>
    public async Task<IReadOnlyList<VisibleTeam>> TeamsAsync(Who? who, CancellationToken ct)
    {
        if (who is null || (who.PersonId is null && !who.Admin))
        {
            return [];
        }

        var readable = who.PersonId is { } personId ? await roles.ReadableAsync(who.TenantId, personId, ct) : new PeopleRoles.Readable(false, []);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long TeamId, string Name, bool Manager)>(new CommandDefinition(SelectVisibleTeams, new
        {
            who.TenantId, PersonId = who.PersonId ?? 0, All = who.Admin || readable.Leader, Managed = readable.Teams.Select(t => t.TeamId).ToArray(),
        }, cancellationToken: ct));
        return [.. rows.Select(r => new VisibleTeam(r.TeamId, r.Name, r.Manager ? TeamView.Manager : TeamView.Member))];
    }

    private const string SelectTeamName = "SELECT name FROM teams WHERE id = @TeamId AND tenant_id = @TenantId";

    private async Task<string?> TeamNameAsync(long teamId, Who who, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(SelectTeamName,
            new { TeamId = teamId, who.TenantId }, cancellationToken: ct));
    }
}
