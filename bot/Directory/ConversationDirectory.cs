using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Directory;

/// <summary>A person as the bot knows them from an activity or a roster.</summary>
public sealed record Member(string UserId, string? AadObjectId, string? Name, string? Email = null);

/// <summary>Where a conversation lives, as stored.</summary>
public sealed record ConversationRow(long Id, long TenantId, string Kind, string ConversationId, string? ServiceUrl, long? PersonId, bool Reachable);

/// <summary>
/// Who is where: tenants, people and the conversations that reach them, kept current from every
/// inbound activity (a serviceUrl can change) and from team rosters.
/// </summary>
public sealed class ConversationDirectory(NpgsqlDataSource dataSource, DirectoryCache cache, TimeProvider time)
{
    // Email/UPN, Entra object id and name kept current from every roster read, each row written only when one changed;
    // the ids of the unchanged come from the statement's snapshot.
    private const string UpsertPeople = """
        WITH input AS (
            SELECT * FROM unnest(@UserIds, @AadObjectIds, @Names, @Emails) AS m(user_id, aad_object_id, name, email)
        ), upserted AS (
            INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name, email, updated_at)
            SELECT @TenantId, m.user_id, m.aad_object_id, coalesce(m.name, ''), m.email, @Now FROM input m
            ON CONFLICT (tenant_id, platform_user_id) DO UPDATE
            SET aad_object_id = coalesce(EXCLUDED.aad_object_id, people.aad_object_id),
                display_name  = CASE WHEN EXCLUDED.display_name <> '' THEN EXCLUDED.display_name ELSE people.display_name END,
                email         = coalesce(EXCLUDED.email, people.email),
                updated_at    = EXCLUDED.updated_at
            WHERE (EXCLUDED.aad_object_id IS NOT NULL AND EXCLUDED.aad_object_id IS DISTINCT FROM people.aad_object_id)
               OR (EXCLUDED.display_name <> '' AND EXCLUDED.display_name <> people.display_name)
               OR (EXCLUDED.email IS NOT NULL AND EXCLUDED.email IS DISTINCT FROM people.email)
            RETURNING platform_user_id, id
        )
        SELECT platform_user_id, id FROM upserted
        UNION ALL
        SELECT p.platform_user_id, p.id FROM people p JOIN input m ON m.user_id = p.platform_user_id
        WHERE p.tenant_id = @TenantId AND NOT EXISTS (SELECT 1 FROM upserted u WHERE u.platform_user_id = p.platform_user_id)
        """;

    // In a team again: no longer on the way to inactive.
    private const string ClearTeamless = "UPDATE people SET teamless_since = NULL WHERE id = ANY(@Ids) AND teamless_since IS NOT NULL";

    /// <summary>
    /// Inserts or refreshes people seen in a roster or membership event; returns their ids in the order given. Being
    /// listed makes a person active as far as the platform knows (a fact: the file or Graph may still say otherwise).
    /// </summary>
    public async Task<IReadOnlyList<long>> UpsertPeopleAsync(long tenantId, IReadOnlyList<Member> members, CancellationToken ct)
    {
        if (members.Count == 0)
        {
            return [];
        }

        var distinct = members.DistinctBy(m => m.UserId).ToList();
        cache.ForgetPeople(tenantId, distinct.Select(m => m.UserId));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(PlaceholderAdoption.Sql, new
        {
            TenantId = tenantId,
            UserIds = distinct.Select(m => m.UserId).ToArray(),
            AadObjectIds = distinct.Select(m => m.AadObjectId).ToArray(),
            Now = time.GetUtcNow(),
        }, cancellationToken: ct));
        var ids = (await connection.QueryAsync<(string UserId, long Id)>(new CommandDefinition(UpsertPeople, new
        {
            TenantId = tenantId,
            UserIds = distinct.Select(m => m.UserId).ToArray(),
            AadObjectIds = distinct.Select(m => m.AadObjectId).ToArray(),
            Names = distinct.Select(m => m.Name).ToArray(),
            Emails = distinct.Select(m => m.Email).ToArray(),
            Now = time.GetUtcNow(),
        }, cancellationToken: ct))).ToDictionary(row => row.UserId, row => row.Id);
        await PersonFacts.WriteAsync(connection, null, [.. ids.Values.Select(id => new PersonFact(id, PersonFacts.Active, PersonFacts.Platform, PersonFacts.Bool(true)))], time.GetUtcNow(), ct);
        await connection.ExecuteAsync(new CommandDefinition(ClearTeamless, new { Ids = ids.Values.ToArray() }, cancellationToken: ct));
        return members.Select(m => ids[m.UserId]).ToList();
    }

    /// <summary>Records a conversation the bot has been reached in (see <see cref="ConversationUpsert"/>); that makes it reachable again.</summary>
    public async Task<ConversationRow> UpsertConversationAsync(long tenantId, string kind, string conversationId, string? serviceUrl, long? personId, CancellationToken ct)
    {
        cache.ForgetConversation(tenantId, conversationId);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ConversationUpsert.RunAsync(connection, null, tenantId, kind, conversationId, serviceUrl, personId, time.GetUtcNow(), ct);
    }

    private const string MarkUnreachable = """
        UPDATE conversations
        SET reachable = false, unreachable_reason = @Reason, welcomed = false, updated_at = @Now
        WHERE tenant_id = @TenantId AND conversation_id = @ConversationId
        """;

    /// <summary>The bot was removed or blocked there: nothing more is sent to this conversation.</summary>
    public async Task MarkUnreachableAsync(long tenantId, string conversationId, string reason, CancellationToken ct)
    {
        cache.ForgetConversation(tenantId, conversationId);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(MarkUnreachable,
            new { TenantId = tenantId, ConversationId = conversationId, Reason = reason, Now = time.GetUtcNow() }, cancellationToken: ct));
    }

    // Teams announces a personal install twice (conversationUpdate and installationUpdate), often at
    // the same moment; the one that flips the flag sends the welcome.
    private const string ClaimWelcome = """
        UPDATE conversations SET welcomed = true
        WHERE id = @Id AND reachable AND NOT welcomed
        RETURNING true
        """;

    /// <summary>True exactly once per install: whoever gets it sends the welcome card.</summary>
    public async Task<bool> TryClaimWelcomeAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(ClaimWelcome, new { Id = conversationId }, cancellationToken: ct)) == true;
    }

    public async Task<string?> PersonNameAsync(long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT nullif(display_name, '') FROM people WHERE id = @Id", new { Id = personId }, cancellationToken: ct));
    }

    private const string FindConversation = """
        SELECT c.id, c.tenant_id, c.kind, c.conversation_id, c.service_url, c.person_id, c.reachable
        FROM conversations c
        JOIN tenants t ON t.id = c.tenant_id
        WHERE t.platform = 'teams' AND t.external_id = @TenantExternalId AND c.conversation_id = @ConversationId
        """;

    public async Task<ConversationRow?> FindAsync(string tenantExternalId, string conversationId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(FindConversation,
            new { TenantExternalId = tenantExternalId, ConversationId = conversationId }, cancellationToken: ct));
    }

    private const string UpsertTeam = """
        INSERT INTO teams (tenant_id, external_id, name, channel_conversation_id)
        VALUES (@TenantId, @ExternalId, @Name, @ChannelConversationId)
        ON CONFLICT (tenant_id, external_id) DO UPDATE
        SET name                    = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE teams.name END,
            channel_conversation_id = EXCLUDED.channel_conversation_id
        RETURNING id
        """;

    public async Task<long> UpsertTeamAsync(long tenantId, string externalId, string? name, long channelConversationId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(UpsertTeam,
            new { TenantId = tenantId, ExternalId = externalId, Name = name ?? "", ChannelConversationId = channelConversationId }, cancellationToken: ct));
    }

    public async Task<long?> FindTeamAsync(long tenantId, string externalId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM teams WHERE tenant_id = @TenantId AND external_id = @ExternalId",
            new { TenantId = tenantId, ExternalId = externalId }, cancellationToken: ct));
    }

    private const string AddMembers = """
        INSERT INTO team_members (team_id, person_id, joined_at)
        SELECT @TeamId, person_id, @Now FROM unnest(@PersonIds) AS person_id
        ON CONFLICT (team_id, person_id) DO NOTHING
        """;

    // Only what the roster gave: a membership or role the admin gave (source 'file') is the admin's to take back.
    private const string RemoveOthers = """
        DELETE FROM team_members WHERE team_id = @TeamId AND source = 'platform' AND person_id <> ALL(@PersonIds)
        """;

    /// <summary>Adds members; with <paramref name="complete"/> the list is the whole roster and anyone else leaves the team.</summary>
    public async Task SetTeamMembersAsync(long teamId, IReadOnlyList<long> personIds, bool complete, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var args = new { TeamId = teamId, PersonIds = personIds.ToArray(), Now = time.GetUtcNow() };
        await connection.ExecuteAsync(new CommandDefinition(AddMembers, args, transaction, cancellationToken: ct));
        if (complete)
        {
            await connection.ExecuteAsync(new CommandDefinition(RemoveOthers, args, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
    }

    private const string RemoveMembers = """
        DELETE FROM team_members tm
        USING people p
        WHERE tm.person_id = p.id AND tm.team_id = @TeamId AND tm.source = 'platform' AND p.platform_user_id = ANY(@UserIds)
        """;

    public async Task RemoveTeamMembersAsync(long teamId, IReadOnlyList<string> userIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(RemoveMembers, new { TeamId = teamId, UserIds = userIds.ToArray() }, cancellationToken: ct));
    }
}
