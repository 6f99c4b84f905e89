using System.Net;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Delivers a turn's answer through the Bot Connector: replies in the same conversation (in a
/// channel, in the thread), and a card that was acted on replaced in place.
/// </summary>
public sealed class TeamsReplySender(BotConnectorClient connector, ConversationDirectory directory, ILogger<TeamsReplySender> logger)
{
    public async Task SendAsync(TurnOutcome outcome, CancellationToken ct)
    {
        if (outcome.Turn is not { } turn)
        {
            return;
        }

        var inbound = turn.Activity;
        if (inbound.ServiceUrl is not { Length: > 0 } serviceUrl || inbound.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return;
        }

        if (outcome.UpdatedCard is { } updated)
        {
            var activity = Message(inbound, null, updated);
            var result = inbound.ReplyToId is { Length: > 0 } cardId
                ? await connector.UpdateAsync(serviceUrl, conversationId, cardId, activity, ct)
                : await connector.SendAsync(serviceUrl, conversationId, activity, ct);
            await CheckAsync(turn, result, ct);
        }

        foreach (var reply in outcome.Replies)
        {
            var activity = Message(inbound, reply.Text, reply.Card);
            var result = inbound.Id is { Length: > 0 } inboundId && inbound.Type == ActivityTypes.Message
                ? await connector.ReplyAsync(serviceUrl, conversationId, inboundId, activity, ct)
                : await connector.SendAsync(serviceUrl, conversationId, activity, ct);
            if (!await CheckAsync(turn, result, ct))
            {
                return;
            }
        }
    }

    /// <summary>A message from the bot to whoever wrote; a card goes as its own activity (Teams splits text + card).</summary>
    public static Activity Message(Activity inbound, string? text, Card? card) => new()
    {
        Type = ActivityTypes.Message,
        From = inbound.Recipient,
        Recipient = inbound.From,
        Conversation = inbound.Conversation,
        Text = card is null ? text : null,
        TextFormat = card is null ? "plain" : null,
        Summary = card?.Title,
        Attachments = card is null ? null : [new Attachment { ContentType = AdaptiveCardRenderer.ContentType, Content = AdaptiveCardRenderer.Render(card) }],
    };

    private async Task<bool> CheckAsync(Turn turn, ConnectorResult result, CancellationToken ct)
    {
        if (result.IsSuccess)
        {
            return true;
        }

        if (result.StatusCode == HttpStatusCode.Forbidden && result.ErrorCode == ConnectorErrorCodes.MessageWritesBlocked)
        {
            await directory.MarkUnreachableAsync(turn.TenantId, turn.Conversation.ConversationId, "403 MessageWritesBlocked", ct);
        }

        logger.LogWarning("Reply to {ConversationId} failed: {Status} {Failure} {Error} (correlation {CorrelationId})",
            turn.Conversation.ConversationId, result.StatusCode, result.Failure, result.ErrorCode ?? result.ErrorMessage, result.CorrelatingOperationId);
        return false;
    }
}
