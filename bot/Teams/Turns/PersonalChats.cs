using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Directory;
using Dapper;
using Npgsql;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>A person's 1:1 chat with the bot, created (and stored) when they have none, for answers that must not be given in a channel.</summary>
public sealed class PersonalChats(NpgsqlDataSource dataSource, BotConnectorClient connector, ConversationDirectory directory)
{
    private const string SelectChat = """
        SELECT conversation_id, service_url FROM conversations
        WHERE tenant_id = @TenantId AND person_id = @PersonId AND kind = 'personal' AND reachable AND service_url IS NOT NULL
        ORDER BY id DESC
        LIMIT 1
        """;

    /// <summary>The chat's serviceUrl and id, or null when Teams would not create one (e.g. the app is not installed for them).</summary>
    public async Task<(string ServiceUrl, string ConversationId)?> FindOrCreateAsync(Turn turn, Activity activity, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return null;
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var known = await connection.QuerySingleOrDefaultAsync<(string ConversationId, string ServiceUrl)?>(
                new CommandDefinition(SelectChat, new { turn.TenantId, PersonId = personId }, cancellationToken: ct));
            if (known is { } chat)
            {
                return (chat.ServiceUrl, chat.ConversationId);
            }
        }

        var tenant = activity.Conversation?.TenantId ?? activity.Teams?.TenantId;
        if (activity.ServiceUrl is not { Length: > 0 } serviceUrl || tenant is null || activity.Recipient?.Id is not { Length: > 0 } botId || activity.From?.Id is not { Length: > 0 } userId)
        {
            return null;
        }

        var created = await connector.CreatePersonalConversationAsync(serviceUrl, tenant, botId, userId, ct);
        if (!created.IsSuccess || created.Value is not { Length: > 0 } conversationId)
        {
            return null;
        }

        await directory.UpsertConversationAsync(turn.TenantId, "personal", conversationId, serviceUrl, personId, ct);
        return (serviceUrl, conversationId);
    }
}
