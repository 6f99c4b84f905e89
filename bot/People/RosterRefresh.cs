using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Scheduler.People;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bot.People;

/// <summary>
/// Reads every tenant's roster again, on every platform, one tenant at a time through its platform's transport
/// (<see cref="IChatTransport.ReadRosterAsync"/>: Teams' connector and Slack's list methods both honour Retry-After,
/// so a large tenant is paced rather than burst), to catch joiners and leavers no event announced. Someone the platform alone
/// knows about who has been in none of the bot's teams for <see cref="PeopleOptions.TeamlessDaysBeforeInactive"/>
/// days becomes inactive: no pulses, nudges or roll-ups. People the file or Graph speak for are theirs to retire.
/// </summary>
public sealed class RosterRefresh(NpgsqlDataSource dataSource, ConversationDirectory directory, IEnumerable<IChatTransport> transports, IOptions<PeopleOptions> options,
    TimeProvider time, ILogger<RosterRefresh> logger)
{
    private readonly Dictionary<string, IChatTransport> _transports = transports.ToDictionary(t => t.Platform, StringComparer.Ordinal);

    private sealed record TeamRow(long TeamId, long TenantId, string Platform, string ExternalId, string? ServiceUrl);

    private const string SelectTeams = """
        SELECT t.id AS team_id, t.tenant_id, x.platform, t.external_id, c.service_url
        FROM teams t JOIN tenants x ON x.id = t.tenant_id JOIN conversations c ON c.id = t.channel_conversation_id
        WHERE t.external_id IS NOT NULL AND c.reachable
        ORDER BY t.tenant_id, t.id
        """;

    private const string MarkTeamless = """
        UPDATE people p SET teamless_since = @Now
        WHERE p.teamless_since IS NULL AND p.active
          AND NOT EXISTS (SELECT 1 FROM team_members tm WHERE tm.person_id = p.id)
          AND EXISTS (SELECT 1 FROM teams t WHERE t.tenant_id = p.tenant_id AND t.external_id IS NOT NULL)
        """;

    private const string SelectLongTeamless = """
        SELECT p.id FROM people p
        WHERE p.teamless_since <= @Cutoff AND p.active
          AND NOT EXISTS (SELECT 1 FROM person_facts f WHERE f.person_id = p.id AND f.source IN ('file', 'graph'))
        """;

    /// <summary>Returns how many rosters were read and how many people became inactive.</summary>
    public async Task<(int Rosters, int Retired)> RefreshAsync(CancellationToken ct)
    {
        List<TeamRow> teams;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            teams = [.. await connection.QueryAsync<TeamRow>(new CommandDefinition(SelectTeams, cancellationToken: ct))];
        }

        var read = 0;
        foreach (var tenant in teams.GroupBy(t => (t.TenantId, t.Platform)))
        {
            if (!_transports.TryGetValue(tenant.Key.Platform, out var transport))
            {
                logger.LogWarning("Roster refresh: tenant {TenantId} skipped: no transport for platform {Platform}", tenant.Key.TenantId, tenant.Key.Platform);
                continue;
            }

            // A roster that cannot be read changes nothing: its members stay, so nobody is counted as teamless for it.
            var roster = await transport.ReadRosterAsync(tenant.Key.TenantId, [.. tenant.Select(t => new RosterTeam(t.TeamId, t.ExternalId, t.ServiceUrl))], ct);
            if (roster.Skipped is { } why)
            {
                logger.LogWarning("Roster refresh: tenant {TenantId} ({Platform}) skipped, its {Teams} teams keep their members: {Reason}",
                    tenant.Key.TenantId, tenant.Key.Platform, tenant.Count(), why);
                continue;
            }

            foreach (var team in tenant)
            {
                if (roster.Teams.TryGetValue(team.TeamId, out var members))
                {
                    await directory.SetTeamMembersAsync(team.TeamId, await directory.UpsertPeopleAsync(team.TenantId, members, ct), complete: true, ct);
                    read++;
                }
            }
        }

        var now = time.GetUtcNow();
        await using var write = await dataSource.OpenConnectionAsync(ct);
        await write.ExecuteAsync(new CommandDefinition(MarkTeamless, new { Now = now }, cancellationToken: ct));
        var retired = (await write.QueryAsync<long>(new CommandDefinition(SelectLongTeamless,
            new { Cutoff = now.AddDays(-options.Value.TeamlessDaysBeforeInactive) }, cancellationToken: ct))).ToList();
        await PersonFacts.WriteAsync(write, null, [.. retired.Select(id => new PersonFact(id, PersonFacts.Active, PersonFacts.Platform, PersonFacts.Bool(false)))], now, ct);
        logger.LogInformation("Roster refresh: {Read} of {Teams} rosters read; {Retired} people in no team for {Days} days are now inactive",
            read, teams.Count, retired.Count, options.Value.TeamlessDaysBeforeInactive);
        return (read, retired.Count);
    }
}
