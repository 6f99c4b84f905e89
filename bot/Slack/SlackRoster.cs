using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Directory;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// A workspace's roster, as the periodic roster refresh reads it through <see cref="SlackTransport"/>: first the
/// directory (<see cref="SlackPeopleSync"/>: joiners added with their names and zones), then each team channel's
/// members (<c>conversations.members</c>, every page), without bots, Slackbot and deactivated accounts, so that a
/// leaver drops out of the team and the one rule for leavers retires them after its grace. A workspace without a
/// token, or whose token Slack refuses at <c>auth.test</c> (<c>invalid_auth</c>, <c>token_revoked</c>...), is skipped with Slack's reason.
/// </summary>
public sealed class SlackRoster(SlackWebApi api, SlackPages pages, SlackPeopleSync people, SlackTokens tokens)
{
    public const int PageSize = 200;

    public async Task<TenantRoster> ReadAsync(long tenantId, IReadOnlyList<RosterTeam> teams, CancellationToken ct)
    {
        if (await tokens.ForTenantAsync(tenantId, ct) is not { } token)
        {
            return TenantRoster.Unread("no bot token for this workspace (uninstalled, revoked or not configured)");
        }

        // auth.test first: a refused token (invalid_auth, token_revoked, account_inactive) stops here, and the answer
        // names the bot's own user, who is in every team channel but is no member of the team.
        var me = await api.AuthTestAsync(token, ct);
        if (!me.Ok)
        {
            return TenantRoster.Unread($"Slack refused the bot token: {me.Error}");
        }

        var directory = await people.SyncAsync(tenantId, token, ct);
        if (!directory.Ok)
        {
            return TenantRoster.Unread($"Slack refused users.list: {directory.Error}");
        }

        var notPeople = new HashSet<string>(directory.NotPeople, StringComparer.Ordinal);
        if (me.GetString("user_id") is { Length: > 0 } bot)
        {
            notPeople.Add(bot);
        }

        var read = new Dictionary<long, IReadOnlyList<Member>>();
        foreach (var team in teams)
        {
            if (await ChannelMembersAsync(token, team.ExternalId, notPeople, ct) is { } members)
            {
                read[team.TeamId] = [.. members.Select(id => new Member(id, null, null))];
            }
        }

        return new TenantRoster(read);
    }

    /// <summary>Every member id of the channel who is a person (not in <paramref name="notPeople"/>), or null when Slack would not list them.</summary>
    public async Task<IReadOnlyList<string>?> ChannelMembersAsync(string token, string channel, IReadOnlySet<string> notPeople, CancellationToken ct)
    {
        var listing = await pages.ReadAllAsync("conversations.members", "members", (cursor, c) => api.ConversationMembersAsync(token, channel, cursor, PageSize, c), ct);
        return listing.Ok
            ? [.. listing.Items.Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).Where(id => !notPeople.Contains(id)).Distinct(StringComparer.Ordinal)]
            : null;
    }
}
