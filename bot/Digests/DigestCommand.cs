using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// <c>digest</c>: a preview, built now, of what the weekly digest would say. A team's manager gets their team's digest
/// (<c>digest &lt;team&gt;</c> when they manage several); a leader gets the roll-up, or any team's digest by name.
/// It shows the same aggregates as the channel digest, so it reveals nothing the team channel does not see.
/// </summary>
public sealed class DigestCommand(NpgsqlDataSource dataSource, DigestBuilder builder, DigestChartLink charts, TimeProvider time) : IBotCommand
{
    public string Name => "digest";

    public bool IsPrivate => true;

    public string Description => "Preview your team's weekly digest now (managers); leaders: the roll-up, or “digest <team>”.";

    private sealed record ReadableTeam(long TeamId, string Name, bool Manages);

    // A manager is the team's manager_id or a member with the role 'manager'; leaders are listed in the tenant's settings.
    private const string SelectReadable = """
        SELECT t.id AS team_id, t.name,
               (t.manager_id = @PersonId OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.person_id = @PersonId AND m.role = 'manager')) AS manages
        FROM teams t
        WHERE t.tenant_id = @TenantId
        ORDER BY t.name, t.id
        """;

    private const string SelectIsLeader = """
        SELECT EXISTS (SELECT 1 FROM tenants x JOIN people p ON p.id = @PersonId AND p.tenant_id = x.id
                       WHERE x.id = @TenantId AND x.settings->'leaders' ? p.platform_user_id)
        """;

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("Digest previews are for team managers and leaders, in a personal chat with me.");
        }

        List<ReadableTeam> teams;
        bool leader;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var args = new { turn.TenantId, PersonId = personId };
            leader = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SelectIsLeader, args, cancellationToken: ct));
            teams = [.. (await connection.QueryAsync<ReadableTeam>(new CommandDefinition(SelectReadable, args, cancellationToken: ct))).Where(t => leader || t.Manages)];
        }

        var name = arguments.Trim();
        if (teams.Count == 0)
        {
            return Reply.WithText("Digest previews are for team managers and leaders. Your team's channel gets the digest every week.");
        }

        var now = time.GetUtcNow();
        if (name.Length == 0 && leader)
        {
            var all = await builder.BuildAsync(turn.TenantId, null, now, ct);
            return Reply.WithCard(RollupCards.Rollup(all, now, await builder.TenantTimeZoneAsync(turn.TenantId, ct), "Preview: the leaders' roll-up as it would look now."));
        }

        var matching = name.Length == 0 ? teams : [.. teams.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))];
        if (matching is not [var team])
        {
            var list = string.Join(", ", teams.Take(20).Select(t => t.Name));
            return Reply.WithText(name.Length == 0
                ? $"You manage several teams; say which: digest <team>. Yours: {list}."
                : $"I don't know a team \"{name}\" that you can see. Yours: {list}.");
        }

        if (await builder.BuildAsync(turn.TenantId, [team.TeamId], now, ct) is not [var digest])
        {
            return Reply.WithText($"The team \"{team.Name}\" is gone.");
        }

        return Reply.WithCard(DigestCards.Team(digest, await charts.PublishAsync(turn.TenantId, digest, ct), $"Preview: {team.Name}'s weekly digest as it would look now."));
    }
}
