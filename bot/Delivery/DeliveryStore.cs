using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Delivery;

/// <summary>A claimed outbox row with what is needed to send it (the target's conversation, if it has one).</summary>
public sealed record ClaimedDelivery(
    long Id,
    long TenantId,
    string TenantExternalId,
    string Kind,
    string Payload,
    int Attempts,
    DateTime CreatedAt,
    long? PersonId,
    string? PersonUserId,
    bool? PersonActive,
    long? ConversationRowId,
    string? ConversationExternalId,
    string? ServiceUrl,
    bool? Reachable,
    string Platform);

/// <summary>The outbox queries of the dispatcher: claim with a lease, record outcomes, queue statistics.</summary>
public sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    // Only the tenants this instance owns. SKIP LOCKED keeps claims safe even so; a 'sending' row whose
    // lease ran out (its instance died) is due again. attempts counts claims; a 429 gives its attempt back.
    private const string Claim = """
        WITH due AS (
            SELECT id FROM deliveries
            WHERE status IN ('pending', 'sending')
              AND ((status = 'pending' AND not_before <= @Now) OR (status = 'sending' AND lease_until < @Now))
              AND tenant_id = ANY(@Tenants)
            ORDER BY not_before, id
            LIMIT @Limit
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE deliveries d
            SET status = 'sending', claimed_by = @Instance, lease_until = @LeaseUntil, attempts = d.attempts + 1
            FROM due WHERE d.id = due.id
            RETURNING d.id, d.tenant_id, d.kind, d.payload, d.attempts, d.created_at, d.person_id, d.conversation_id, d.not_before
        )
        SELECT c.id, c.tenant_id, t.external_id AS tenant_external_id, c.kind, c.payload::text AS payload, c.attempts, c.created_at,
               c.person_id, p.platform_user_id AS person_user_id, p.active AS person_active,
               coalesce(cc.id, pc.id) AS conversation_row_id,
               coalesce(cc.conversation_id, pc.conversation_id) AS conversation_external_id,
               coalesce(cc.service_url, pc.service_url) AS service_url,
               coalesce(cc.reachable, pc.reachable) AS reachable,
               t.platform
        FROM claimed c
        JOIN tenants t ON t.id = c.tenant_id
        LEFT JOIN people p ON p.id = c.person_id
        LEFT JOIN conversations cc ON cc.id = c.conversation_id
        LEFT JOIN LATERAL (
            SELECT id, conversation_id, service_url, reachable FROM conversations
            WHERE person_id = c.person_id AND kind = 'personal'
            ORDER BY reachable DESC, updated_at DESC
            LIMIT 1
        ) pc ON c.person_id IS NOT NULL
        ORDER BY c.not_before, c.id
        """;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string instance, DateTimeOffset now, TimeSpan lease, int limit, long[] tenants, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(Claim, new
        {
            Now = now,
            LeaseUntil = now + lease,
            Instance = instance,
            Limit = limit,
            Tenants = tenants,
        }, cancellationToken: ct));
        return rows.AsList();
    }

    private const string Retry = """
        UPDATE deliveries
        SET status = 'pending', not_before = @NotBefore, last_error = @Error, claimed_by = NULL, lease_until = NULL,
            attempts = attempts - @GiveBack
        WHERE id = ANY(@Ids) AND status = 'sending' AND claimed_by = @Instance
        """;

    /// <summary>Back to pending (a retry, a tenant pause or a shutdown); <paramref name="countsAsAttempt"/> false gives the attempt back.</summary>
    public async Task RetryAsync(IReadOnlyList<long> ids, string instance, DateTimeOffset notBefore, string? error, bool countsAsAttempt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Retry, new
        {
            Ids = ids.ToArray(),
            Instance = instance,
            NotBefore = notBefore,
            Error = error,
            GiveBack = countsAsAttempt ? 0 : 1,
        }, cancellationToken: ct));
    }

    private const string Finish = """
        UPDATE deliveries
        SET status = @Status, last_error = @Error, lease_until = NULL
        WHERE id = @Id AND status = 'sending'
        """;

    /// <summary>Failed (the platform refused it for good) or cancelled (the target is gone).</summary>
    public async Task FinishAsync(long id, string status, string error, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Finish, new { Id = id, Status = status, Error = error }, cancellationToken: ct));
    }

    private const string TenantServiceUrl = """
        SELECT service_url FROM conversations
        WHERE tenant_id = @TenantId AND service_url IS NOT NULL
        ORDER BY updated_at DESC
        LIMIT 1
        """;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (string? Url, DateTimeOffset Until)> _serviceUrls = new();

    /// <summary>
    /// Where to create a 1:1 chat for someone who has none: the tenant's most recently seen serviceUrl.
    /// Remembered for a minute: a fan-out asks it for every person, and it changes rarely.
    /// </summary>
    public async Task<string?> TenantServiceUrlAsync(long tenantId, DateTimeOffset now, CancellationToken ct)
    {
        if (_serviceUrls.TryGetValue(tenantId, out var known) && known.Until > now)
        {
            return known.Url;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var url = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(TenantServiceUrl, new { TenantId = tenantId }, cancellationToken: ct));
        _serviceUrls[tenantId] = (url, now + TimeSpan.FromMinutes(1));
        return url;
    }

    private const string Stats = """
        SELECT count(*) AS depth,
               coalesce(extract(epoch FROM @Now - min(not_before) FILTER (WHERE not_before <= @Now)), 0)::float8 AS oldest_due_seconds
        FROM deliveries
        WHERE status IN ('pending', 'sending')
        """;

    public sealed record QueueStats(long Depth, double OldestDueSeconds);

    /// <summary>Messages not yet sent, and how long the oldest due one has waited.</summary>
    public async Task<QueueStats> StatsAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<QueueStats>(new CommandDefinition(Stats, new { Now = now }, cancellationToken: ct));
    }
}
