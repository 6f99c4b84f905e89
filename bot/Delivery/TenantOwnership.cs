using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Which tenants this instance drains. Teams' limit is per tenant, so a tenant is drained by one instance at a
/// time and paced at the full rate there; tenants with due work are spread evenly over the live instances
/// (each takes up to its share of the free ones). An owner renews its short lease while it has work for the
/// tenant; when it dies, the lease lapses and another instance takes the tenant over.
/// </summary>
public sealed class TenantOwnership(TenantOwnershipStore store, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<TenantOwnership> logger)
{
    /// <summary>Stop sending for a tenant this long before its lease ends, so clocks a little apart never overlap two owners.</summary>
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(1);

    private volatile IReadOnlyDictionary<long, DateTimeOffset> _owned = new Dictionary<long, DateTimeOffset>();
    private DateTimeOffset _heartbeatDue = DateTimeOffset.MinValue;

    /// <summary>Live instances at the last heartbeat.</summary>
    public int Instances { get; private set; } = 1;

    /// <summary>The tenants held now.</summary>
    public long[] Owned()
    {
        var now = time.GetUtcNow();
        return [.. _owned.Where(o => o.Value - SafetyMargin > now).Select(o => o.Key)];
    }

    /// <summary>Whether this instance may still send for the tenant.</summary>
    public bool Holds(long tenantId) => _owned.TryGetValue(tenantId, out var until) && until - SafetyMargin > time.GetUtcNow();

    /// <summary>Heartbeats (once per interval), keeps the tenants that still have work, takes this instance's share of the free ones.</summary>
    public async Task RefreshAsync(string instance, IReadOnlyCollection<long> busyTenants, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var leaseUntil = now + o.TenantLease;
        await using var connection = await store.OpenAsync(ct);
        if (now >= _heartbeatDue)
        {
            _heartbeatDue = now + o.HeartbeatInterval;
            await store.HeartbeatAsync(connection, instance, now, o.TenantLease, ct);
        }

        // Counted on every refresh, so an instance that joined a moment ago gets its share of new work.
        var instances = await store.LiveInstancesAsync(connection, instance, now, o.TenantLease, ct);
        if (instances != Instances)
        {
            logger.LogInformation("{Count} delivery instance(s) alive; tenants are shared among them", instances);
            Instances = instances;
        }

        // Sets: a hosted instance may drain thousands of tenants at once.
        var due = (await store.DueTenantsAsync(connection, now, ct)).ToHashSet();
        var busy = busyTenants.ToHashSet();
        var keep = _owned.Keys.Where(t => due.Contains(t) || busy.Contains(t)).ToArray();
        var held = await store.RenewAsync(connection, instance, keep, now, leaseUntil, ct);
        var share = (int)Math.Ceiling(due.Union(held).Count() / (double)Instances);
        var taken = held.Length < share
            ? await store.TakeAsync(connection, instance, [.. due.Except(held)], share - held.Length, now, leaseUntil, ct)
            : [];
        _owned = held.Concat(taken).ToDictionary(t => t, _ => leaseUntil);
    }

    /// <summary>Nothing is held any more (the instance stops, or lost the database).</summary>
    public void Forget() => _owned = new Dictionary<long, DateTimeOffset>();

    public Task LeaveAsync(string instance, CancellationToken ct)
    {
        Forget();
        return store.LeaveAsync(instance, ct);
    }
}
