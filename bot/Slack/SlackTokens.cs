using AlignmentBot.Bot.Slack.Install;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The bot token for a workspace. Single-workspace mode: <see cref="SlackOptions.BotToken"/> for every team; otherwise
/// the token the workspace's OAuth install stored (encrypted, refreshed when token rotation is on).
/// Null when the workspace revoked the bot (nothing is sent there) or none is known.
/// </summary>
public sealed class SlackTokens(IOptions<SlackOptions> options, SlackDirectory directory, SlackWorkspaceTokens installed)
{
    public async Task<string?> ForTenantAsync(long tenantId, CancellationToken ct) =>
        options.Value.BotToken is { Length: > 0 } token
            ? (!await directory.IsRevokedAsync(tenantId, ct) ? token : null)
            : await installed.ForTenantAsync(tenantId, ct);

    public async Task<string?> ForTeamAsync(string teamId, CancellationToken ct) =>
        await ForTenantAsync(await directory.TenantAsync(teamId, null, ct), ct);
}
