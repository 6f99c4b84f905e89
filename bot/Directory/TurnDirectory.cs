using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Directory;

/// <summary>
/// The tenant, sender and conversation of an inbound activity: read (from <see cref="DirectoryCache"/> when it
/// has them, else in one round trip) and written only where the activity says something the database does
/// not hold yet — a new tenant, person or conversation, a changed name or serviceUrl, a conversation to make
/// reachable again — all in one transaction. A turn that changes nothing writes no row: no tenant-wide row
/// lock for every click, and no person row whose update time lines up with their answers.
/// </summary>
public sealed class TurnDirectory(NpgsqlDataSource dataSource, DirectoryCache cache, TimeProvider time)
{
    private sealed record Stored(long TenantId, long? PersonId, string? AadObjectId, string? DisplayName, bool? Active,
        long? ConversationRowId, string? Kind, string? ServiceUrl, long? ConversationPersonId, bool? Reachable);

    private const string SelectStored = """
        SELECT t.id AS tenant_id,
               p.id AS person_id, p.aad_object_id, p.display_name, p.active,
               c.id AS conversation_row_id, c.kind, c.service_url, c.person_id AS conversation_person_id, c.reachable
        FROM tenants t
        LEFT JOIN people p ON p.tenant_id = t.id AND p.platform_user_id = @UserId
        LEFT JOIN conversations c ON c.tenant_id = t.id AND c.conversation_id = @ConversationId
        WHERE t.platform = 'teams' AND t.external_id = @TenantExternalId
        """;

    private const string InsertTenant = """
        INSERT INTO tenants (platform, external_id) VALUES ('teams', @TenantExternalId)
        ON CONFLICT (platform, external_id) DO NOTHING
        RETURNING id
        """;

    private const string SelectTenant = "SELECT id FROM tenants WHERE platform = 'teams' AND external_id = @TenantExternalId";

    // The WHERE keeps a turn that lost a race with an identical one from rewriting the row.
    private const string UpsertPerson = """
        INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name, updated_at)
        VALUES (@TenantId, @UserId, @AadObjectId, coalesce(@Name, ''), @Now)
        ON CONFLICT (tenant_id, platform_user_id) DO UPDATE
        SET aad_object_id = coalesce(EXCLUDED.aad_object_id, people.aad_object_id),
            display_name  = CASE WHEN EXCLUDED.display_name <> '' THEN EXCLUDED.display_name ELSE people.display_name END,
            active        = true,
            updated_at    = EXCLUDED.updated_at
        WHERE NOT people.active
           OR (EXCLUDED.aad_object_id IS NOT NULL AND EXCLUDED.aad_object_id IS DISTINCT FROM people.aad_object_id)
           OR (EXCLUDED.display_name <> '' AND EXCLUDED.display_name <> people.display_name)
        RETURNING id, aad_object_id, display_name, active
        """;

    private const string SelectPerson = """
        SELECT id, aad_object_id, display_name, active FROM people WHERE tenant_id = @TenantId AND platform_user_id = @UserId
        """;

    /// <summary>The stored tenant, sender (when a person sent it) and conversation, brought up to date with the activity.</summary>
    public async Task<TurnParties> RecordAsync(string tenantExternalId, Member? sender, string kind, string conversationId, string? serviceUrl, CancellationToken ct)
    {
        if (FromCache(tenantExternalId, sender, kind, conversationId, serviceUrl) is { } cached)
        {
            return cached;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var args = new { TenantExternalId = tenantExternalId, sender?.UserId, ConversationId = conversationId };
        var stored = await connection.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(SelectStored, args, cancellationToken: ct));
        long? tenantId = stored?.TenantId;
        var person = stored is { PersonId: { } personId } ? new PersonState(personId, stored.AadObjectId, stored.DisplayName ?? "", stored.Active ?? true) : null;
        var conversation = stored is { ConversationRowId: { } rowId }
            ? new ConversationRow(rowId, stored.TenantId, stored.Kind!, conversationId, stored.ServiceUrl, stored.ConversationPersonId, stored.Reachable ?? true)
            : null;

        var personStale = sender is not null && (person is null || Differs(person, sender));
        if (tenantId is null || personStale || conversation is null || Differs(conversation, serviceUrl, PersonFor(kind, person)))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            tenantId ??= await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertTenant, args, transaction, cancellationToken: ct))
                ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectTenant, args, transaction, cancellationToken: ct));
            if (sender is not null && personStale)
            {
                var personArgs = new { TenantId = tenantId, sender.UserId, sender.AadObjectId, sender.Name, Now = now };
                person = await connection.QuerySingleOrDefaultAsync<PersonState>(new CommandDefinition(UpsertPerson, personArgs, transaction, cancellationToken: ct))
                    ?? await connection.QuerySingleAsync<PersonState>(new CommandDefinition(SelectPerson, personArgs, transaction, cancellationToken: ct));
            }

            if (conversation is null || Differs(conversation, serviceUrl, PersonFor(kind, person)))
            {
                conversation = await ConversationUpsert.RunAsync(connection, transaction, tenantId.Value, kind, conversationId, serviceUrl, PersonFor(kind, person), now, ct);
            }

            await transaction.CommitAsync(ct);
        }

        cache.Remember(tenantExternalId, tenantId.Value, sender?.UserId, person, conversation);
        return new TurnParties(tenantId.Value, person?.Id, conversation);
    }

    private TurnParties? FromCache(string tenantExternalId, Member? sender, string kind, string conversationId, string? serviceUrl)
    {
        if (cache.Tenant(tenantExternalId) is not { } tenantId)
        {
            return null;
        }

        PersonState? person = null;
        if (sender is not null)
        {
            person = cache.Person(tenantId, sender.UserId);
            if (person is null || Differs(person, sender))
            {
                return null;
            }
        }

        return cache.Conversation(tenantId, conversationId) is { } conversation && !Differs(conversation, serviceUrl, PersonFor(kind, person))
            ? new TurnParties(tenantId, person?.Id, conversation)
            : null;
    }

    /// <summary>A personal chat belongs to its person; channels and group chats to no one.</summary>
    private static long? PersonFor(string kind, PersonState? person) => kind == "personal" ? person?.Id : null;

    // What the upserts would change; an activity without a name or AAD id says nothing about them.
    private static bool Differs(PersonState stored, Member sender) =>
        !stored.Active
        || (sender.AadObjectId is not null && sender.AadObjectId != stored.AadObjectId)
        || (!string.IsNullOrEmpty(sender.Name) && sender.Name != stored.DisplayName);

    private static bool Differs(ConversationRow stored, string? serviceUrl, long? personId) =>
        !stored.Reachable
        || (serviceUrl is not null && serviceUrl != stored.ServiceUrl)
        || (personId is not null && personId != stored.PersonId);
}
