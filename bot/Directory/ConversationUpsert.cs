using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Directory;

/// <summary>
/// The one way a conversation is recorded, from a turn (<see cref="TurnDirectory"/>) or from a chat the bot made or a
/// team it was added to (<see cref="ConversationDirectory"/>): inserted when new, and rewritten only when something
/// differs — a new serviceUrl or owner, or a conversation to make reachable again. An identical upsert touches no row.
/// </summary>
internal static class ConversationUpsert
{
    // The WHERE keeps an upsert that changes nothing (or lost a race with an identical one) from rewriting the row.
    private const string Upsert = """
        INSERT INTO conversations (tenant_id, kind, conversation_id, service_url, person_id, updated_at)
        VALUES (@TenantId, @Kind, @ConversationId, @ServiceUrl, @PersonId, @Now)
        ON CONFLICT (tenant_id, conversation_id) DO UPDATE
        SET service_url        = coalesce(EXCLUDED.service_url, conversations.service_url),
            person_id          = coalesce(EXCLUDED.person_id, conversations.person_id),
            reachable          = true,
            unreachable_reason = NULL,
            updated_at         = EXCLUDED.updated_at
        WHERE NOT conversations.reachable
           OR (EXCLUDED.service_url IS NOT NULL AND EXCLUDED.service_url IS DISTINCT FROM conversations.service_url)
           OR (EXCLUDED.person_id IS NOT NULL AND EXCLUDED.person_id IS DISTINCT FROM conversations.person_id)
        RETURNING id, tenant_id, kind, conversation_id, service_url, person_id, reachable
        """;

    private const string Select = """
        SELECT id, tenant_id, kind, conversation_id, service_url, person_id, reachable
        FROM conversations WHERE tenant_id = @TenantId AND conversation_id = @ConversationId
        """;

    /// <summary>The conversation as stored after the upsert (read back when the upsert had nothing to change).</summary>
    public static async Task<ConversationRow> RunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long tenantId, string kind,
        string conversationId, string? serviceUrl, long? personId, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { TenantId = tenantId, Kind = kind, ConversationId = conversationId, ServiceUrl = serviceUrl, PersonId = personId, Now = now };
        return await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(Upsert, args, transaction, cancellationToken: ct))
            ?? await connection.QuerySingleAsync<ConversationRow>(new CommandDefinition(Select, args, transaction, cancellationToken: ct));
    }
}
