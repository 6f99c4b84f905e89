using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Drains the outbox. Claims due rows of the tenants this instance owns (<see cref="TenantOwnership"/>) in
/// batches (SKIP LOCKED, with a lease, so a dead instance's rows come back), queues them per tenant, and
/// works each tenant's queue with a few concurrent pumps at the tenant's pace (the sender bounds the sends in
/// flight). A tenant that is paused or already has enough queued is not claimed for.
/// </summary>
public sealed class DeliveryDispatcher(
    DeliveryStore store,
    DeliverySender sender,
    TenantPacer pacer,
    TenantOwnership ownership,
    DeliveryMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    /// <summary>This instance's name in <c>deliveries.claimed_by</c>.</summary>
    public string Instance { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private readonly ConcurrentDictionary<long, TenantQueue> _queues = new();
    private readonly List<Task> _pumps = [];
    private DateTimeOffset _statsDue = DateTimeOffset.MinValue;
    private DateTimeOffset _ownershipDue = DateTimeOffset.MinValue;

    private sealed class TenantQueue
    {
        public Channel<ClaimedDelivery> Rows { get; } = Channel.CreateUnbounded<ClaimedDelivery>();
        public int Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        logger.LogInformation("Delivery dispatcher {Instance}: at most {Rate} requests per second per tenant, {Concurrency} sends at once", Instance, o.TenantRequestsPerWindow, o.MaxConcurrentSends);
        var claimed = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Idle: look for new work every poll. Busy: renew the tenants once per heartbeat.
                if (claimed == 0 || time.GetUtcNow() >= _ownershipDue)
                {
                    _ownershipDue = time.GetUtcNow() + o.HeartbeatInterval;
                    await ownership.RefreshAsync(Instance, BusyTenants(), stoppingToken);
                }

                claimed = await ClaimAsync(stoppingToken);
                await RefreshStatsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // What is held lapses on its own: without renewals this instance stops sending for those tenants.
                claimed = 0;
                logger.LogError(ex, "Claiming deliveries failed; retrying");
            }

            if (claimed < o.BatchSize)
            {
                try
                {
                    await Task.Delay(o.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await ShutDownAsync();
    }

    private long[] BusyTenants() => [.. _queues.Where(q => Volatile.Read(ref q.Value.Count) > 0).Select(q => q.Key)];

    private async Task<int> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        var full = _queues.Where(q => Volatile.Read(ref q.Value.Count) >= o.MaxQueuedPerTenant).Select(q => q.Key).Concat(pacer.PausedTenants());
        var tenants = ownership.Owned().Except(full).ToArray();
        if (tenants.Length == 0)
        {
            return 0;
        }

        var rows = await store.ClaimAsync(Instance, time.GetUtcNow(), o.Lease, o.BatchSize, tenants, ct);
        foreach (var row in rows)
        {
            var queue = _queues.GetOrAdd(row.TenantId, StartTenant);
            Interlocked.Increment(ref queue.Count);
            queue.Rows.Writer.TryWrite(row);
        }

        return rows.Count;
    }

    /// <summary>A tenant's pumps: enough concurrent rows to hide latency; the tenant's pacer sets the rate.</summary>
    private TenantQueue StartTenant(long tenantId)
    {
        var queue = new TenantQueue();
        var pumps = Math.Clamp(options.Value.MaxConcurrentSends / 2, 1, 16);
        lock (_pumps)
        {
            for (var i = 0; i < pumps; i++)
            {
                _pumps.Add(Task.Run(() => PumpAsync(queue)));
            }
        }

        return queue;
    }

    private async Task PumpAsync(TenantQueue queue)
    {
        await foreach (var row in queue.Rows.Reader.ReadAllAsync())
        {
            try
            {
                // Not cancelled by shutdown: a send that started is finished and recorded.
                await sender.DeliverAsync(row, Instance, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Delivery {Id} failed unexpectedly; it is retried when its lease ends", row.Id);
            }
            finally
            {
                Interlocked.Decrement(ref queue.Count);
            }
        }
    }

    private async Task RefreshStatsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < _statsDue)
        {
            return;
        }

        _statsDue = now + TimeSpan.FromSeconds(5);
        var stats = await store.StatsAsync(now, ct);
        metrics.QueueDepth = stats.Depth;
        metrics.OldestDueSeconds = stats.OldestDueSeconds;
    }

    /// <summary>
    /// On shutdown, rows still waiting in memory go back to pending at once, sends under way finish, and the
    /// tenants are let go, so any other instance carries on without waiting for a lease.
    /// </summary>
    private async Task ShutDownAsync()
    {
        var waiting = new List<long>();
        foreach (var queue in _queues.Values)
        {
            queue.Rows.Writer.TryComplete();
            while (queue.Rows.Reader.TryRead(out var row))
            {
                waiting.Add(row.Id);
                Interlocked.Decrement(ref queue.Count);
            }
        }

        try
        {
            if (waiting.Count > 0)
            {
                await store.RetryAsync(waiting, Instance, time.GetUtcNow(), null, countsAsAttempt: false, CancellationToken.None);
                logger.LogInformation("Released {Count} queued deliveries on shutdown", waiting.Count);
            }
        }
        catch (Npgsql.NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not release {Count} queued deliveries on shutdown; they are claimed again when their lease ends", waiting.Count);
        }

        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        try
        {
            await ownership.LeaveAsync(Instance, CancellationToken.None);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not let go of this instance's tenants on shutdown; they are free when their lease ends");
        }
    }
}
