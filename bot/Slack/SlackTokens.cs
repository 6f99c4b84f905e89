using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The bot token for a workspace. Single-workspace mode: <see cref="SlackOptions.BotToken"/> for every team.
/// Null when the workspace revoked the bot (nothing is sent there) or none is known.
/// </summary>
public sealed class SlackTokens(IOptions<SlackOptions> options, SlackDirectory directory)
{
    public async Task<string?> ForTenantAsync(long tenantId, CancellationToken ct) =>
        options.Value.BotToken is { Length: > 0 } token && !await directory.IsRevokedAsync(tenantId, ct) ? token : null;

    public async Task<string?> ForTeamAsync(string teamId, CancellationToken ct) =>
        await ForTenantAsync(await directory.TenantAsync(teamId, null, ct), ct);
}
