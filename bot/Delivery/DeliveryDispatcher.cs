using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Drains the outbox. Claims due rows in batches (SKIP LOCKED, with a lease, so any number of instances
/// can run side by side and a dead instance's rows come back), queues them per tenant, and works each
/// tenant's queue with a few concurrent pumps, each tenant at its own pace (the sender bounds sends in flight).
/// A tenant that is paused or already has enough queued is not claimed for.
/// </summary>
public sealed class DeliveryDispatcher(
    DeliveryStore store,
    DeliverySender sender,
    TenantPacer pacer,
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

    private sealed class TenantQueue
    {
        public Channel<ClaimedDelivery> Rows { get; } = Channel.CreateUnbounded<ClaimedDelivery>();
        public int Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        logger.LogInformation("Delivery dispatcher {Instance}: {Rate:0.#} requests/s per tenant, {Concurrency} sends at once", Instance, o.PacedRequestsPerSecond, o.MaxConcurrentSends);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await ClaimAsync(stoppingToken);
                await RefreshStatsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
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

        await ReleaseQueuedAsync();
    }

    private async Task<int> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        var skip = _queues.Where(q => Volatile.Read(ref q.Value.Count) >= o.MaxQueuedPerTenant).Select(q => q.Key)
            .Concat(pacer.PausedTenants()).Distinct().ToArray();
        var rows = await store.ClaimAsync(Instance, time.GetUtcNow(), o.Lease, o.BatchSize, skip, ct);
        foreach (var row in rows)
        {
            var queue = _queues.GetOrAdd(row.TenantId, StartTenant);
            Interlocked.Increment(ref queue.Count);
            queue.Rows.Writer.TryWrite(row);
        }

        return rows.Count;
    }

    /// <summary>A tenant's pumps: enough concurrent senders to hide latency; the tenant's pacer sets the rate.</summary>
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

    /// <summary>On shutdown, rows still waiting in memory go back to pending at once, for any instance to send.</summary>
    private async Task ReleaseQueuedAsync()
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

        if (waiting.Count > 0)
        {
            await store.RetryAsync(waiting, Instance, time.GetUtcNow(), null, countsAsAttempt: false, CancellationToken.None);
            logger.LogInformation("Released {Count} queued deliveries on shutdown", waiting.Count);
        }

        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
    }
}
