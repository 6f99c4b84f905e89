using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// Who may open the leaders' view, and which teams it covers: every team of the tenant for a leader (the one
/// <see cref="PeopleRoles"/> rule) or a signed-in admin (<see cref="AdminAccess"/>, own tenant only); only the teams
/// they manage for a manager; nothing for anyone else.
/// </summary>
public sealed class LeadersScope(NpgsqlDataSource dataSource, PeopleRoles roles, AdminAccess admins)
{
    /// <summary>A team in the view, with its parent (for the subtree filter).</summary>
    public sealed record Team(long TeamId, string Name, long? ParentTeamId);

    /// <summary>The verdict: the teams the person may see here (none when refused), and why.</summary>
    public sealed record Decision(bool Allowed, bool WholeOrganisation, string Why, IReadOnlyList<Team> Teams);

    private const string SelectTeams = """
        SELECT id AS team_id, name, parent_team_id FROM teams WHERE tenant_id = @TenantId ORDER BY name, id
        """;

    public async Task<Decision> DecideAsync(DashboardViewer.Who? who, CancellationToken ct)
    {
        if (who is null)
        {
            return Refused("Your organisation does not use AlignmentBot, or has not added you yet.");
        }

        var everyone = false;
        var why = "";
        HashSet<long> managed = [];
        if (who.Admin)
        {
            // The admin rule: a signed-in admin acts for their own tenant only, as a tenant key does.
            var access = await admins.DecideAsync(AdminCaller.SignedInAdmin(who.TenantExternalId, who.Platform), AdminResource.Tenant, who.TenantExternalId, who.Platform, ct);
            if (access is { Allowed: true, TenantId: { } tenant } && tenant == who.TenantId)
            {
                (everyone, why) = (true, "You are an admin of your organisation.");
            }
        }

        if (!everyone && who.PersonId is { } personId)
        {
            var readable = await roles.ReadableAsync(who.TenantId, personId, ct);
            if (readable.Leader)
            {
                (everyone, why) = (true, "You are a leader: you see every team.");
            }
            else if (readable.Teams.Count > 0)
            {
                managed = [.. readable.Teams.Select(t => t.TeamId)];
                why = $"You manage {readable.Teams.Count} team{(readable.Teams.Count == 1 ? "" : "s")}: you see those only.";
            }
        }

        if (!everyone && managed.Count == 0)
        {
            return Refused("The leaders' view is for the organisation's leaders and the managers of teams. Your teams are under “Your teams”.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var teams = await connection.QueryAsync<Team>(new CommandDefinition(SelectTeams, new { who.TenantId }, cancellationToken: ct));
        return new Decision(true, everyone, why, [.. teams.Where(t => everyone || managed.Contains(t.TeamId))]);
    }

    /// <summary>The team and every team under it, among <paramref name="teams"/> (a manager's subtree stops at what they manage).</summary>
    public static IReadOnlyList<Team> Subtree(IReadOnlyList<Team> teams, long root)
    {
        var children = teams.Where(t => t.ParentTeamId is not null).ToLookup(t => t.ParentTeamId!.Value);
        var queue = new Queue<Team>(teams.Where(t => t.TeamId == root));
        var seen = new HashSet<long>();
        while (queue.TryDequeue(out var team))
        {
            if (!seen.Add(team.TeamId))
            {
                continue;
            }

            foreach (var child in children[team.TeamId])
            {
                queue.Enqueue(child);
            }
        }

        return [.. teams.Where(t => seen.Contains(t.TeamId))];
    }

    private static Decision Refused(string why) => new(false, false, why, []);
}
