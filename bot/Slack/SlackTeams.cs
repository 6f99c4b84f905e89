using AlignmentBot.Bot.Directory;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// A team in Slack is a channel the bot was added to: the channel is where its digest goes, its members (all pages
/// of <c>conversations.members</c>) are the team. Someone joining later joins the team. Names and time zones come
/// from the workspace directory (<see cref="SlackPeopleSync"/>), read after the OAuth install, whenever the bot is added to a channel, and by every roster refresh
/// (<see cref="SlackRoster"/>, which also reads the channels' members again).
/// </summary>
public sealed class SlackTeams(
    SlackDirectory slack,
    ConversationDirectory directory,
    SlackTokens tokens,
    SlackPeopleSync people,
    SlackRoster roster,
    IEnumerable<ITeamInstalledHandler> onTeamInstalled,
    ILogger<SlackTeams> logger)
{
    public async Task MemberJoinedAsync(string teamId, string? enterpriseId, string channel, string userId, string? botUserId, CancellationToken ct)
    {
        var tenantId = await slack.TenantAsync(teamId, enterpriseId, ct);
        if (userId == botUserId)
        {
            await BotAddedAsync(tenantId, channel, userId, ct);
            return;
        }

        if (await directory.FindTeamAsync(tenantId, channel, ct) is { } team)
        {
            var personId = (await directory.UpsertPeopleAsync(tenantId, [new Member(userId, null, null)], ct))[0];
            await directory.SetTeamMembersAsync(team, [personId], complete: false, ct);
        }
    }

    private async Task BotAddedAsync(long tenantId, string channel, string botUserId, CancellationToken ct)
    {
        var conversation = await directory.UpsertConversationAsync(tenantId, "channel", channel, null, null, ct);
        var teamId = await directory.UpsertTeamAsync(tenantId, channel, $"#{channel}", conversation.Id, ct);
        if (await tokens.ForTenantAsync(tenantId, ct) is not { } token)
        {
            return;
        }

        // Names and time zones first: the team's members are then known people (bots and deactivated accounts are not).
        var workspace = await people.SyncAsync(tenantId, token, ct);
        var members = await roster.ChannelMembersAsync(token, channel, workspace.NotPeople, ct);
        if (members is null)
        {
            logger.LogWarning("Slack channel {Channel}: its members could not be read; the team starts empty", channel);
        }
        else
        {
            var ids = await directory.UpsertPeopleAsync(tenantId, [.. members.Where(id => id != botUserId).Select(id => new Member(id, null, null))], ct);
            await directory.SetTeamMembersAsync(teamId, ids, complete: true, ct);
        }

        foreach (var handler in onTeamInstalled)
        {
            await handler.TeamInstalledAsync(tenantId, teamId, ct);
        }
    }
}
