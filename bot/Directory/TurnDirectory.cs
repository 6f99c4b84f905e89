using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Directory;

/// <summary>
/// The tenant, sender and conversation of an inbound activity: read (from <see cref="DirectoryCache"/> when it
/// has them, else in one round trip) and written only where the activity says something the database does
/// not hold yet — a new tenant, person or conversation, a changed name or serviceUrl, a conversation to make
/// reachable again, a time zone the person's client reports for the first time or differently — all in one transaction. A turn that changes nothing writes no row: no tenant-wide row
/// lock for every click, and no person row whose update time lines up with their answers.
/// </summary>
public sealed class TurnDirectory(NpgsqlDataSource dataSource, DirectoryCache cache, TimeProvider time)
{
    private sealed record Stored(long TenantId, long? PersonId, string? AadObjectId, string? DisplayName, bool? Active, string? PlatformZone,
        long? ConversationRowId, string? Kind, string? ServiceUrl, long? ConversationPersonId, bool? Reachable);

    // What the person's client said last; the effective zone may come from a higher source (PersonFacts).
    private const string PlatformZone = "(SELECT f.value FROM person_facts f WHERE f.person_id = p.id AND f.field = 'time_zone' AND f.source = 'platform')";

    private static readonly string SelectStored = $"""
        SELECT t.id AS tenant_id,
               p.id AS person_id, p.aad_object_id, p.display_name, p.active, {PlatformZone} AS platform_zone,
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

    // The WHERE keeps a turn that lost a race with an identical one from rewriting the row. Whether the person is active
    // is not written here: a person who writes is active as far as the platform knows (a fact, below), and the file
    // or Graph may still say otherwise.
    private const string UpsertPerson = """
        INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name, updated_at)
        VALUES (@TenantId, @UserId, @AadObjectId, coalesce(@Name, ''), @Now)
        ON CONFLICT (tenant_id, platform_user_id) DO UPDATE
        SET aad_object_id = coalesce(EXCLUDED.aad_object_id, people.aad_object_id),
            display_name  = CASE WHEN EXCLUDED.display_name <> '' THEN EXCLUDED.display_name ELSE people.display_name END,
            updated_at    = EXCLUDED.updated_at
        WHERE (EXCLUDED.aad_object_id IS NOT NULL AND EXCLUDED.aad_object_id IS DISTINCT FROM people.aad_object_id)
           OR (EXCLUDED.display_name <> '' AND EXCLUDED.display_name <> people.display_name)
        RETURNING id
        """;

    private static readonly string SelectPerson = $"""
        SELECT p.id, p.aad_object_id, p.display_name, p.active, {PlatformZone} AS platform_zone
        FROM people p WHERE p.tenant_id = @TenantId AND p.platform_user_id = @UserId
        """;

    /// <summary>
    /// The stored tenant, sender (when a person sent it) and conversation, brought up to date with the activity;
    /// <paramref name="zone"/> is the IANA zone the sender's client reports (Teams' <c>localTimezone</c>), or null.
    /// </summary>
    public async Task<TurnParties> RecordAsync(string tenantExternalId, Member? sender, string? zone, string kind, string conversationId, string? serviceUrl, CancellationToken ct)
    {
        if (FromCache(tenantExternalId, sender, zone, kind, conversationId, serviceUrl) is { } cached)
        {
            return cached;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var args = new { TenantExternalId = tenantExternalId, sender?.UserId, ConversationId = conversationId };
        var stored = await connection.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(SelectStored, args, cancellationToken: ct));
        long? tenantId = stored?.TenantId;
        var person = stored is { PersonId: { } personId } ? new PersonState(personId, stored.AadObjectId, stored.DisplayName ?? "", stored.Active ?? true, stored.PlatformZone) : null;
        var conversation = stored is { ConversationRowId: { } rowId }
            ? new ConversationRow(rowId, stored.TenantId, stored.Kind!, conversationId, stored.ServiceUrl, stored.ConversationPersonId, stored.Reachable ?? true)
            : null;

        var personStale = sender is not null && (person is null || Differs(person, sender, zone));
        if (tenantId is null || personStale || conversation is null || Differs(conversation, serviceUrl, PersonFor(kind, person)))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            tenantId ??= await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertTenant, args, transaction, cancellationToken: ct))
                ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectTenant, args, transaction, cancellationToken: ct));
            if (sender is not null && personStale)
            {
                var personArgs = new { TenantId = tenantId, sender.UserId, sender.AadObjectId, sender.Name, Now = now };
                if (person is null && sender.AadObjectId is not null)
                {
                    await connection.ExecuteAsync(new CommandDefinition(PlaceholderAdoption.Sql,
                        new { TenantId = tenantId, UserIds = new[] { sender.UserId }, AadObjectIds = new[] { sender.AadObjectId }, Now = now },
                        transaction, cancellationToken: ct));
                }

                await connection.ExecuteAsync(new CommandDefinition(UpsertPerson, personArgs, transaction, cancellationToken: ct));
                person = await connection.QuerySingleAsync<PersonState>(new CommandDefinition(SelectPerson, personArgs, transaction, cancellationToken: ct));
                var facts = new List<PersonFact>();
                if (!person.Active)
                {
                    facts.Add(new PersonFact(person.Id, PersonFacts.Active, PersonFacts.Platform, PersonFacts.Bool(true)));
                }

                if (zone is not null && zone != person.PlatformZone)
                {
                    facts.Add(new PersonFact(person.Id, PersonFacts.TimeZone, PersonFacts.Platform, zone));
                }

                if (facts.Count > 0)
                {
                    await PersonFacts.WriteAsync(connection, transaction, facts, now, ct);
                    person = await connection.QuerySingleAsync<PersonState>(new CommandDefinition(SelectPerson, personArgs, transaction, cancellationToken: ct));
                }
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

    private TurnParties? FromCache(string tenantExternalId, Member? sender, string? zone, string kind, string conversationId, string? serviceUrl)
    {
        if (cache.Tenant(tenantExternalId) is not { } tenantId)
        {
            return null;
        }

        PersonState? person = null;
        if (sender is not null)
        {
            person = cache.Person(tenantId, sender.UserId);
            if (person is null || Differs(person, sender, zone))
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

    // What the upserts would change; an activity without a name, AAD id or zone says nothing about them. An inactive
    // person is looked at again each time (the platform fact is written once; a higher source may keep them inactive).
    private static bool Differs(PersonState stored, Member sender, string? zone) =>
        !stored.Active
        || (zone is not null && zone != stored.PlatformZone)
        || (sender.AadObjectId is not null && sender.AadObjectId != stored.AadObjectId)
        || (!string.IsNullOrEmpty(sender.Name) && sender.Name != stored.DisplayName);

    private static bool Differs(ConversationRow stored, string? serviceUrl, long? personId) =>
        !stored.Reachable
        || (serviceUrl is not null && serviceUrl != stored.ServiceUrl)
        || (personId is not null && personId != stored.PersonId);
}
