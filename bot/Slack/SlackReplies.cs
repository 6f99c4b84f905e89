using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Slack;

/// <summary>Where a Slack turn's answer goes: the channel it happened in, and the message acted on (channel + ts) if any.</summary>
public sealed record SlackPlace(string TeamId, string Channel, string UserId, string? MessageTs = null, string? ThreadTs = null);

/// <summary>
/// Delivers a turn's outcome in Slack: replies in the channel (in the thread of a mention), the card acted on
/// replaced in place (<c>chat.update</c>), answers for one person's eyes as a DM (<c>chat.postMessage</c> to their
/// user id, which Slack delivers in the app's DM with them).
/// </summary>
public sealed class SlackReplies(SlackWebApi api, SlackTokens tokens, ILogger<SlackReplies> logger)
{
    public const string SentPrivately = "I've sent you the answer in our direct messages.";

    public async Task SendAsync(SlackPlace place, TurnOutcome outcome, CancellationToken ct)
    {
        if (outcome.Turn is not { } turn || await tokens.ForTenantAsync(turn.TenantId, ct) is not { } token)
        {
            return;
        }

        if (outcome.UpdatedCard is { } card)
        {
            var message = BlockKitRenderer.Message(card);
            message["channel"] = place.Channel;
            var result = place.MessageTs is { } ts
                ? await api.UpdateAsync(token, With(message, "ts", ts), ct)
                : await api.PostMessageAsync(token, message, ct);
            Check(place, result);
        }

        var replies = outcome.Replies;
        if (outcome.PrivateReplies.Count > 0)
        {
            var sent = true;
            foreach (var reply in outcome.PrivateReplies)
            {
                sent &= Check(place, await api.PostMessageAsync(token, With(Render(reply), "channel", place.UserId), ct));
            }

            replies = [.. replies, Reply.WithText(sent ? SentPrivately : TurnProcessor.PrivateElsewhere)];
        }

        foreach (var reply in replies)
        {
            var message = With(Render(reply), "channel", place.Channel);
            if (place.ThreadTs is { } thread)
            {
                message["thread_ts"] = thread;
            }

            if (!Check(place, await api.PostMessageAsync(token, message, ct)))
            {
                return;
            }
        }
    }

    public static JsonObject Render(Reply reply) => reply.Card is { } card ? BlockKitRenderer.Message(card) : BlockKitRenderer.Message(reply.Text ?? "");

    private static JsonObject With(JsonObject message, string key, string value)
    {
        message[key] = value;
        return message;
    }

    private bool Check(SlackPlace place, SlackApiResult result)
    {
        if (!result.Ok)
        {
            logger.LogWarning("Reply in Slack channel {Channel} of {Team} failed: {Error}", place.Channel, place.TeamId, result.Error);
        }

        return result.Ok;
    }
}
