using System.Net;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Delivers a turn's answer through the Bot Connector: replies in the same conversation (in a
/// channel, in the thread), answers for one person's eyes in their 1:1 chat, and a card that was acted
/// on replaced in place when the bot sent that card to that conversation (else sent anew).
/// </summary>
public sealed class TeamsReplySender(BotConnectorClient connector, ConversationDirectory directory, BotMessages sent, PersonalChats chats, ILogger<TeamsReplySender> logger)
{
    public const string SentPrivately = "I've sent you the answer in our 1:1 chat.";

    public async Task SendAsync(TeamsTurnResult result, CancellationToken ct)
    {
        var (inbound, outcome) = (result.Inbound, result.Outcome);
        if (outcome.Turn is not { } turn)
        {
            return;
        }

        if (inbound.ServiceUrl is not { Length: > 0 } serviceUrl || inbound.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return;
        }

        if (outcome.UpdatedCard is { } updated)
        {
            var activity = Message(inbound, null, updated);
            var sentCard = inbound.ReplyToId is { Length: > 0 } cardId && await sent.SentHereAsync(turn, cardId, ct)
                ? await connector.UpdateAsync(serviceUrl, conversationId, cardId, activity, ct)
                : await connector.SendAsync(serviceUrl, conversationId, activity, ct);
            await CheckAsync(turn, sentCard, ct);
        }

        var replies = outcome.Replies;
        if (outcome.PrivateReplies.Count > 0)
        {
            replies = [.. replies, Reply.WithText(await SendPrivatelyAsync(inbound, turn, outcome.PrivateReplies, ct) ? SentPrivately : TurnProcessor.PrivateElsewhere)];
        }

        foreach (var reply in replies)
        {
            var activity = Message(inbound, reply.Text, reply.Card);
            var sentReply = inbound.Id is { Length: > 0 } inboundId && inbound.Type == ActivityTypes.Message
                ? await connector.ReplyAsync(serviceUrl, conversationId, inboundId, activity, ct)
                : await connector.SendAsync(serviceUrl, conversationId, activity, ct);
            if (!await CheckAsync(turn, sentReply, ct))
            {
                return;
            }
        }
    }

    private async Task<bool> SendPrivatelyAsync(Activity inbound, Turn turn, IReadOnlyList<Reply> replies, CancellationToken ct)
    {
        if (await chats.FindOrCreateAsync(turn, inbound, ct) is not var (serviceUrl, chatId))
        {
            return false;
        }

        foreach (var reply in replies)
        {
            var activity = Message(inbound, reply.Text, reply.Card) with { Conversation = new ConversationAccount { Id = chatId, ConversationType = "personal" } };
            var result = await connector.SendAsync(serviceUrl, chatId, activity, ct);
            if (!result.IsSuccess)
            {
                logger.LogWarning("A private answer to person {PersonId} could not be sent: {Status} {Failure}", turn.PersonId, result.StatusCode, result.Failure);
                return false;
            }
        }

        return true;
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
