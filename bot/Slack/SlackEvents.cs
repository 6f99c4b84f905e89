using System.Text.Json;
using System.Text.RegularExpressions;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// What an Events API event means: a DM to the app (<c>message.im</c>) or a mention is a typed command; the app's
/// Home opened for the first time gets the welcome; the bot added to a channel makes that channel a team (its
/// members from <c>conversations.members</c>); someone joining such a channel joins the team; uninstalled or tokens
/// revoked stops all sending there. The bot's own messages and edits (<c>bot_id</c>, <c>subtype</c>) are ignored.
/// </summary>
public sealed partial class SlackEvents(
    SlackDirectory slack,
    ConversationDirectory directory,
    TurnProcessor turns,
    SlackReplies replies,
    SlackTeams teams,
    ILogger<SlackEvents> logger)
{
    public async Task HandleAsync(JsonElement envelope, JsonElement e, CancellationToken ct)
    {
        var teamId = SlackJson.String(envelope, "team_id")!;
        var enterpriseId = SlackJson.String(envelope, "enterprise_id");
        var type = SlackJson.String(e, "type");
        var user = SlackJson.String(e, "user");
        var channel = SlackJson.String(e, "channel");
        var fromBot = SlackJson.String(e, "bot_id") is not null || SlackJson.String(e, "subtype") is not null;

        switch (type)
        {
            case "message" when SlackJson.String(e, "channel_type") == "im" && !fromBot && user is not null && channel is not null:
            {
                var turn = await slack.TurnAsync(teamId, enterpriseId, user, channel, direct: true, ct);
                var outcome = await turns.CommandAsync(turn, SlackJson.String(e, "text") ?? "", ct);
                await replies.SendAsync(new SlackPlace(teamId, channel, user), outcome, ct);
                return;
            }

            case "app_mention" when !fromBot && user is not null && channel is not null:
            {
                var turn = await slack.TurnAsync(teamId, enterpriseId, user, channel, direct: false, ct);
                var outcome = await turns.CommandAsync(turn, WithoutMentions(SlackJson.String(e, "text") ?? ""), ct);
                await replies.SendAsync(new SlackPlace(teamId, channel, user, ThreadTs: SlackJson.String(e, "thread_ts") ?? SlackJson.String(e, "ts")), outcome, ct);
                return;
            }

            case "app_home_opened" when user is not null && channel is not null:
            {
                var turn = await slack.TurnAsync(teamId, enterpriseId, user, channel, direct: true, ct);
                if (await directory.TryClaimWelcomeAsync(turn.Conversation.Id, ct))
                {
                    await replies.SendAsync(new SlackPlace(teamId, channel, user), TurnProcessor.Welcome(turn, null), ct);
                }

                return;
            }

            case "member_joined_channel" when user is not null && channel is not null:
                await teams.MemberJoinedAsync(teamId, enterpriseId, channel, user, BotUserId(envelope), ct);
                return;

            // tokens_revoked also comes when only users' tokens went; the bot holds none, so only its own token counts.
            case "app_uninstalled" or "tokens_revoked" when type == "app_uninstalled" || RevokesBotToken(e):
                logger.LogInformation("Slack workspace {Team}: {Event}; nothing more is sent there", teamId, type);
                await slack.RevokeAsync(teamId, type, ct);
                return;

            default:
                return;
        }
    }

    /// <summary><c>tokens_revoked</c>'s <c>tokens.bot</c>: the user ids of bot tokens revoked.</summary>
    private static bool RevokesBotToken(JsonElement e) =>
        e.TryGetProperty("tokens", out var tokens) && SlackJson.Array(tokens, "bot").Any();

    /// <summary>The bot's own user id in this workspace, as the event's authorizations name it.</summary>
    private static string? BotUserId(JsonElement envelope) =>
        SlackJson.Array(envelope, "authorizations").Select(a => SlackJson.String(a, "user_id")).FirstOrDefault(id => id is not null);

    /// <summary>"&lt;@U123&gt; okrs team" → "okrs team".</summary>
    public static string WithoutMentions(string text) => Mention().Replace(text, " ").Trim();

    [GeneratedRegex(@"<@[A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex Mention();
}
