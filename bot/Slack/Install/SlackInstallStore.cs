using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// Keeps an installation: the workspace as a tenant (platform <c>slack</c>), one <c>slack_workspaces</c> row per
/// (enterprise, workspace) with its tokens encrypted. Installing again replaces the tokens and serves the workspace
/// again: conversations that the uninstall made unreachable become reachable. All in one transaction.
/// </summary>
public sealed class SlackInstallStore(NpgsqlDataSource dataSource, SlackTokenProtector protector, TimeProvider time)
{
    private const string UpsertTenant = """
        INSERT INTO tenants (platform, external_id, name)
        VALUES ('slack', @TeamId, @TeamName)
        ON CONFLICT (platform, external_id) DO UPDATE
        SET name = CASE WHEN EXCLUDED.name = '' THEN tenants.name ELSE EXCLUDED.name END
        RETURNING id
        """;

    private const string UpsertWorkspace = """
        INSERT INTO slack_workspaces (tenant_id, team_id, enterprise_id, bot_user_id, bot_token_protected, refresh_token_protected,
                                      token_expires_at, scopes, installed_at, revoked_at, updated_at)
        VALUES (@TenantId, @TeamId, @EnterpriseId, @BotUserId, @BotToken, @RefreshToken, @ExpiresAt, @Scopes, @Now, NULL, @Now)
        ON CONFLICT (tenant_id) DO UPDATE
        SET enterprise_id           = EXCLUDED.enterprise_id,
            bot_user_id             = coalesce(EXCLUDED.bot_user_id, slack_workspaces.bot_user_id),
            bot_token_protected     = EXCLUDED.bot_token_protected,
            refresh_token_protected = EXCLUDED.refresh_token_protected,
            token_expires_at        = EXCLUDED.token_expires_at,
            scopes                  = EXCLUDED.scopes,
            installed_at            = EXCLUDED.installed_at,
            revoked_at              = NULL,
            updated_at              = EXCLUDED.updated_at
        """;

    // Only what the uninstall did is undone: a conversation unreachable for its own reasons stays so.
    private const string Reachable = """
        UPDATE conversations SET reachable = true, unreachable_reason = NULL, updated_at = @Now
        WHERE tenant_id = @TenantId AND NOT reachable AND unreachable_reason IN ('app_uninstalled', 'tokens_revoked')
        """;

    /// <summary>Stores a workspace install (not an org-wide one: the caller refuses those); the tenant's id.</summary>
    public async Task<long> SaveAsync(SlackInstallation install, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(install.TeamId);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(UpsertTenant,
            new { install.TeamId, TeamName = install.TeamName ?? "" }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(UpsertWorkspace, new
        {
            TenantId = tenantId,
            install.TeamId,
            install.EnterpriseId,
            install.BotUserId,
            BotToken = protector.Protect(install.AccessToken),
            RefreshToken = protector.Protect(install.RefreshToken),
            ExpiresAt = install.ExpiresIn is { } lifetime ? now + lifetime : (DateTimeOffset?)null,
            install.Scopes,
            Now = now,
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Reachable, new { TenantId = tenantId, Now = now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return tenantId;
    }
}
