using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Turns;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// Who is where for Slack, in the same tables as Teams: the workspace is a tenant (platform <c>slack</c>,
/// external id = team id), people by their <c>U...</c> id, conversations by channel id (<c>D...</c> for the
/// app's DM with a person, which is their "personal" conversation).
/// </summary>
public sealed class SlackDirectory(NpgsqlDataSource dataSource, ConversationDirectory conversations, TimeProvider time)
{
    private const string SelectTenant = "SELECT id FROM tenants WHERE platform = 'slack' AND external_id = @TeamId";

    private const string InsertTenant = """
        INSERT INTO tenants (platform, external_id) VALUES ('slack', @TeamId)
        ON CONFLICT (platform, external_id) DO NOTHING
        RETURNING id
        """;

    // A workspace seen again after a revocation is served again only through a new install (SlackInstallStore).
    private const string UpsertWorkspace = """
        INSERT INTO slack_workspaces (tenant_id, team_id, enterprise_id, updated_at)
        VALUES (@TenantId, @TeamId, @EnterpriseId, @Now)
        ON CONFLICT (tenant_id) DO NOTHING
        """;

    // The tokens are deleted, and what waits in the outbox there is given up with the reason (never retried).
    private const string Revoke = """
        UPDATE slack_workspaces
        SET revoked_at = @Now, updated_at = @Now, bot_token_protected = NULL, refresh_token_protected = NULL, token_expires_at = NULL
        WHERE tenant_id = @TenantId;
        UPDATE conversations SET reachable = false, unreachable_reason = @Reason, updated_at = @Now
        WHERE tenant_id = @TenantId AND reachable;
        UPDATE deliveries SET status = 'cancelled', last_error = 'the Slack workspace stopped the app (' || @Reason || ')', claimed_by = NULL, lease_until = NULL
        WHERE tenant_id = @TenantId AND status = 'pending';
        """;

    private const string SelectRevoked = "SELECT revoked_at IS NOT NULL FROM slack_workspaces WHERE tenant_id = @TenantId";

    public async Task<long> TenantAsync(string teamId, string? enterpriseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var args = new { TeamId = teamId, EnterpriseId = enterpriseId, Now = time.GetUtcNow() };
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SelectTenant, args, cancellationToken: ct));
        if (id is null)
        {
            id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertTenant, args, cancellationToken: ct))
                ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectTenant, args, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(UpsertWorkspace, new { TenantId = id, args.TeamId, args.EnterpriseId, args.Now }, cancellationToken: ct));
        }

        return id.Value;
    }

    /// <summary>The turn of a person in a conversation (a DM is their personal conversation; anything else a channel).</summary>
    public async Task<Turn> TurnAsync(string teamId, string? enterpriseId, string userId, string channelId, bool direct, CancellationToken ct)
    {
        var tenantId = await TenantAsync(teamId, enterpriseId, ct);
        var personId = (await conversations.UpsertPeopleAsync(tenantId, [new Member(userId, null, null)], ct))[0];
        var conversation = await conversations.UpsertConversationAsync(tenantId, direct ? "personal" : "channel", channelId, null, direct ? personId : null, ct);
        return new Turn(tenantId, personId, conversation);
    }

    /// <summary>Uninstalled or tokens revoked: the tokens are deleted, every conversation there becomes unreachable and nothing more is sent.</summary>
    public async Task RevokeAsync(string teamId, string reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SelectTenant, new { TeamId = teamId }, cancellationToken: ct));
        if (tenantId is null)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(Revoke, new { TenantId = tenantId, Reason = reason, Now = time.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<bool> IsRevokedAsync(long tenantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(SelectRevoked, new { TenantId = tenantId }, cancellationToken: ct)) == true;
    }
}
