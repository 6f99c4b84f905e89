using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// An installed workspace's bot token, decrypted. With token rotation on (the install gave a refresh token and an
/// expiry), a token within <see cref="RefreshMargin"/> of its expiry is replaced first by <c>oauth.v2.access</c>
/// with <c>grant_type=refresh_token</c>, and the new pair stored encrypted. Concurrent senders refresh once: one
/// lock per workspace in this process, and the row locked (<c>FOR UPDATE</c>) across instances; whoever comes
/// second finds the fresh token and uses it. Null when the workspace is uninstalled or revoked, or its token
/// expired and could not be refreshed. Tokens are never logged.
/// </summary>
public sealed class SlackWorkspaceTokens(
    NpgsqlDataSource dataSource,
    SlackTokenProtector protector,
    SlackWebApi api,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackWorkspaceTokens> logger)
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(10);

    private const string Select = """
        SELECT bot_token_protected, refresh_token_protected, token_expires_at, revoked_at IS NOT NULL AS revoked
        FROM slack_workspaces
        WHERE tenant_id = @TenantId
        """;

    private const string Store = """
        UPDATE slack_workspaces
        SET bot_token_protected = @BotToken, refresh_token_protected = @RefreshToken, token_expires_at = @ExpiresAt, updated_at = @Now
        WHERE tenant_id = @TenantId
        """;

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _refreshing = new();

    public async Task<string?> ForTenantAsync(long tenantId, CancellationToken ct)
    {
        StoredTokens? stored;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            stored = await connection.QuerySingleOrDefaultAsync<StoredTokens>(new CommandDefinition(Select, new { TenantId = tenantId }, cancellationToken: ct));
        }

        if (stored is null || stored.Revoked || stored.BotTokenProtected is null)
        {
            return null;
        }

        return NeedsRefresh(stored) ? await RefreshAsync(tenantId, ct) : protector.Unprotect(stored.BotTokenProtected);
    }

    private bool NeedsRefresh(StoredTokens stored) =>
        stored is { TokenExpiresAt: { } expires, RefreshTokenProtected: not null } && time.GetUtcNow() >= new DateTimeOffset(expires, TimeSpan.Zero) - RefreshMargin;

    private bool Expired(StoredTokens stored) =>
        stored.TokenExpiresAt is { } expires && time.GetUtcNow() >= new DateTimeOffset(expires, TimeSpan.Zero);

    private async Task<string?> RefreshAsync(long tenantId, CancellationToken ct)
    {
        var gate = _refreshing.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var stored = await connection.QuerySingleOrDefaultAsync<StoredTokens>(new CommandDefinition(Select + " FOR UPDATE", new { TenantId = tenantId }, transaction, cancellationToken: ct));
            if (stored is null || stored.Revoked || stored.BotTokenProtected is null)
            {
                return null;
            }

            if (!NeedsRefresh(stored))
            {
                return protector.Unprotect(stored.BotTokenProtected); // refreshed by whoever held the lock before
            }

            var o = options.Value;
            var result = await api.OAuthAccessAsync(o.ClientId!, o.ClientSecret!,
                [new("grant_type", "refresh_token"), new("refresh_token", protector.Unprotect(stored.RefreshTokenProtected)!)], ct);
            if (SlackInstallation.From(result) is not { RefreshToken: not null } fresh)
            {
                logger.LogWarning("Slack token refresh for tenant {TenantId} failed: {Error}", tenantId, result.Error ?? "no bot token in the answer");
                // The old token still works until it expires: the next send tries again.
                return Expired(stored) ? null : protector.Unprotect(stored.BotTokenProtected);
            }

            var now = time.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(Store, new
            {
                TenantId = tenantId,
                BotToken = protector.Protect(fresh.AccessToken),
                RefreshToken = protector.Protect(fresh.RefreshToken),
                ExpiresAt = fresh.ExpiresIn is { } lifetime ? now + lifetime : (DateTimeOffset?)null,
                Now = now,
            }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            logger.LogInformation("Slack bot token of tenant {TenantId} refreshed", tenantId);
            return fresh.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record StoredTokens(string? BotTokenProtected, string? RefreshTokenProtected, DateTime? TokenExpiresAt, bool Revoked);
}
