using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Turns;

/// <summary>
/// Which messages the bot itself sent where. An Action.Submit names the card it came from only by the client's
/// <c>replyToId</c>; the bot replaces a card only when it sent that message to that very conversation, so a client
/// cannot have it overwrite some other message (a digest in a channel, another person's card).
/// </summary>
public sealed class BotMessages(NpgsqlDataSource dataSource)
{
    // A message to a person (conversation_id null) went to their 1:1 chat, which is this one only when it is theirs.
    private const string SelectSentHere = """
        SELECT EXISTS (
            SELECT 1 FROM deliveries d
            WHERE d.tenant_id = @TenantId AND d.status = 'sent' AND d.platform_message_id = @MessageId
              AND (d.conversation_id = @ConversationId
                   OR (d.conversation_id IS NULL AND @Kind = 'personal' AND d.person_id = @PersonId)))
        """;

    public async Task<bool> SentHereAsync(Turn turn, string messageId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SelectSentHere, new
        {
            turn.TenantId,
            MessageId = messageId,
            ConversationId = turn.Conversation.Id,
            turn.Conversation.Kind,
            turn.Conversation.PersonId,
        }, cancellationToken: ct));
    }
}
