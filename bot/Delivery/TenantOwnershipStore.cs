using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Delivery;

/// <summary>The queries behind <see cref="TenantOwnership"/>: heartbeats, renewing, releasing and taking tenants.</summary>
public sealed class TenantOwnershipStore(NpgsqlDataSource dataSource)
{
    private const string Heartbeat = """
        WITH me AS (
            INSERT INTO delivery_instances (instance, seen_at) VALUES (@Instance, @Now)
            ON CONFLICT (instance) DO UPDATE SET seen_at = excluded.seen_at
        )
        DELETE FROM delivery_instances WHERE seen_at < @StaleBefore
        """;

    /// <summary>Says this instance is alive and forgets dead ones.</summary>
    public async Task HeartbeatAsync(NpgsqlConnection connection, string instance, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(Heartbeat, new { Instance = instance, Now = now, StaleBefore = now - staleAfter }, cancellationToken: ct));

    private const string LiveInstances = """
        SELECT 1 + count(*) FROM delivery_instances WHERE instance <> @Instance AND seen_at >= @StaleBefore
        """;

    /// <summary>How many instances are alive, this one included.</summary>
    public async Task<int> LiveInstancesAsync(NpgsqlConnection connection, string instance, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) =>
        (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(LiveInstances, new { Instance = instance, StaleBefore = now - staleAfter }, cancellationToken: ct));

    // Due work: pending and due, or sending with a lapsed lease (its instance died).
    private const string DueTenants = """
        SELECT DISTINCT tenant_id FROM deliveries
        WHERE status IN ('pending', 'sending')
          AND ((status = 'pending' AND not_before <= @Now) OR (status = 'sending' AND lease_until < @Now))
        """;

    public async Task<long[]> DueTenantsAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct) =>
        [.. await connection.QueryAsync<long>(new CommandDefinition(DueTenants, new { Now = now }, cancellationToken: ct))];

    private const string Renew = """
        WITH released AS (
            DELETE FROM delivery_tenant_owners WHERE instance = @Instance AND NOT (tenant_id = ANY(@Keep))
        )
        UPDATE delivery_tenant_owners SET lease_until = @LeaseUntil
        WHERE instance = @Instance AND tenant_id = ANY(@Keep) AND lease_until >= @Now
        RETURNING tenant_id
        """;

    /// <summary>Extends the leases of the tenants kept (only those still held), lets go of the rest; returns what is held.</summary>
    public async Task<long[]> RenewAsync(NpgsqlConnection connection, string instance, long[] keep, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        [.. await connection.QueryAsync<long>(new CommandDefinition(Renew, new { Instance = instance, Keep = keep, Now = now, LeaseUntil = leaseUntil }, cancellationToken: ct))];

    // A tenant is free when nobody holds it or its owner's lease lapsed. Two instances racing for one
    // tenant: the second's upsert re-checks the lease after the first commits, and takes nothing.
    private const string Take = """
        INSERT INTO delivery_tenant_owners (tenant_id, instance, lease_until)
        SELECT t, @Instance, @LeaseUntil FROM unnest(@Candidates) AS t
        WHERE NOT EXISTS (SELECT 1 FROM delivery_tenant_owners o WHERE o.tenant_id = t AND o.lease_until >= @Now)
        LIMIT @Max
        ON CONFLICT (tenant_id) DO UPDATE SET instance = excluded.instance, lease_until = excluded.lease_until
        WHERE delivery_tenant_owners.lease_until < @Now
        RETURNING tenant_id
        """;

    /// <summary>Takes up to <paramref name="max"/> free tenants among the candidates; returns those taken.</summary>
    public async Task<long[]> TakeAsync(NpgsqlConnection connection, string instance, long[] candidates, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        [.. await connection.QueryAsync<long>(new CommandDefinition(Take, new { Instance = instance, Candidates = candidates, Max = max, Now = now, LeaseUntil = leaseUntil }, cancellationToken: ct))];

    /// <summary>A clean shutdown: the tenants and this instance's place are free at once.</summary>
    public async Task LeaveAsync(string instance, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM delivery_tenant_owners WHERE instance = @Instance; DELETE FROM delivery_instances WHERE instance = @Instance",
            new { Instance = instance }, cancellationToken: ct));
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => dataSource.OpenConnectionAsync(ct);
}
