using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Drains the outbox. Claims due rows of the tenants this instance owns (<see cref="TenantOwnership"/>) in
/// batches (SKIP LOCKED, with a lease, so a dead instance's rows come back), queues them per tenant, and sends
/// each tenant's rows with a few concurrent workers at the tenant's pace (<see cref="TenantWorkers"/>). How many
/// sends may be in flight, and how many workers a tenant gets, follow Little's law — calls in flight = calls per
/// second × seconds per call — from the measured latency (<see cref="ConnectorLatency"/>) and the rate the busy
/// tenants may use, bounded by memory and <see cref="DeliveryOptions.MaxInFlight"/>. A tenant that is paused or
/// already has enough queued is not claimed for.
/// </summary>
public sealed class DeliveryDispatcher : BackgroundService
{
    /// <summary>A send in flight holds its rendered card and HTTP buffers: budgeted generously, per call.</summary>
    private const long BytesPerCall = 64 * 1024;

    private readonly DeliveryStore _store;
    private readonly TenantPacer _pacer;
    private readonly TenantOwnership _ownership;
    private readonly DeliveryMetrics _metrics;
    private readonly InFlightGate _inFlight;
    private readonly ConnectorLatency _latency;
    private readonly IOptions<DeliveryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly TenantWorkers _workers;
    private readonly int _memoryBound;
    private DateTimeOffset _statsDue = DateTimeOffset.MinValue;
    private DateTimeOffset _ownershipDue = DateTimeOffset.MinValue;
    private DateTimeOffset _sweepDue = DateTimeOffset.MinValue;
    private bool _burst;

    public DeliveryDispatcher(
        DeliveryStore store,
        DeliverySender sender,
        TenantPacer pacer,
        TenantOwnership ownership,
        DeliveryMetrics metrics,
        InFlightGate inFlight,
        ConnectorLatency latency,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ILogger<DeliveryDispatcher> logger)
    {
        _store = store;
        _pacer = pacer;
        _ownership = ownership;
        _metrics = metrics;
        _inFlight = inFlight;
        _latency = latency;
        _options = options;
        _time = time;
        _logger = logger;
        _memoryBound = (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 20 / BytesPerCall, 16, int.MaxValue);
        _workers = new TenantWorkers(row => DeliverAsync(sender, row));
        metrics.Observe(inFlight, () => _workers.Workers, () => _workers.Tenants);
    }

    /// <summary>This instance's name in <c>deliveries.claimed_by</c>.</summary>
    public string Instance { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Worker tasks running now (none when the outbox is idle).</summary>
    public int Workers => _workers.Workers;

    /// <summary>Tenants with rows in memory now.</summary>
    public int TenantsInMemory => _workers.Tenants;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = _options.Value;
        Size();
        _logger.LogInformation(
            "Delivery dispatcher {Instance}: at most {Rate} requests per second per tenant ({Rule} pacing), up to {MaxInFlight} sends in flight (memory allows {MemoryBound})",
            Instance, o.TenantRequestsPerWindow, o.Pacing, Math.Min(o.MaxInFlight, _memoryBound), _memoryBound);
        var claimed = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Idle: look for new work every poll. Busy: renew the tenants once per heartbeat.
                if (claimed == 0 || _time.GetUtcNow() >= _ownershipDue)
                {
                    _ownershipDue = _time.GetUtcNow() + o.HeartbeatInterval;
                    await _ownership.RefreshAsync(Instance, _workers.BusyTenants(), stoppingToken);
                }

                Size();
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
                _logger.LogError(ex, "Claiming deliveries failed; retrying");
            }

            if (claimed < o.BatchSize)
            {
                try
                {
                    await Task.Delay(o.PollInterval, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await ShutDownAsync();
    }

    /// <summary>
    /// Little's law, with room: the busy tenants' requests per second × the measured round trip (p90) × 1.5,
    /// plus a few. Workers: a tenant needs one per request under way and per row between its two requests
    /// (create, then send); all tenants together twice the calls in flight, which also bounds the rows in memory.
    /// </summary>
    private void Size()
    {
        var o = _options.Value;
        var roundTrip = _latency.P90.TotalSeconds;
        var busy = Math.Max(1, _workers.Tenants);
        var rate = o.TenantRequestsPerSecond * busy;
        var limit = (int)Math.Clamp(Math.Ceiling(rate * roundTrip * 1.5) + 8, 8, Math.Min(o.MaxInFlight, _memoryBound));
        if (limit != _inFlight.Limit)
        {
            _inFlight.SetLimit(limit);
        }

        _workers.PerTenant = WorkersPerTenant(o, _latency.P90);
        _workers.Total = Math.Max(2 * Math.Min(o.MaxInFlight, _memoryBound), _workers.PerTenant);
    }

    /// <summary>
    /// How many of one tenant's rows are worked on at once — rendered (a digest is built then), paced and sent — at
    /// this round trip: what scripts/bench/digest.sh builds digests with.
    /// </summary>
    internal static int WorkersPerTenant(DeliveryOptions o, TimeSpan roundTrip) =>
        (int)Math.Clamp(Math.Ceiling(o.TenantRequestsPerSecond * (2 * roundTrip.TotalSeconds + 0.2)) + 4, 4, o.MaxQueuedPerTenant);

    private async Task<int> ClaimAsync(CancellationToken ct)
    {
        var o = _options.Value;
        // Rows in memory stay few enough to be sent well inside their lease.
        var room = Math.Min(o.BatchSize, 2 * _workers.Total - _workers.Held);
        if (room <= 0)
        {
            return 0;
        }

        var full = _workers.TenantsWithAtLeast(o.MaxQueuedPerTenant).Concat(_pacer.PausedTenants());
        var tenants = _ownership.Owned().Except(full).ToArray();
        if (tenants.Length == 0)
        {
            return 0;
        }

        var rows = await _store.ClaimAsync(Instance, _time.GetUtcNow(), o.Lease, room, tenants, ct);
        _workers.Add(rows);
        return rows.Count == room ? o.BatchSize : rows.Count;
    }

    private async Task DeliverAsync(DeliverySender sender, ClaimedDelivery row)
    {
        using var span = Observability.BotTelemetry.Source.StartActivity(Observability.BotTelemetry.Deliver);
        span?.SetTag("alignmentbot.delivery.kind", row.Kind);
        try
        {
            // Not cancelled by shutdown: a send that started is finished and recorded.
            await sender.DeliverAsync(row, Instance, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Delivery {Id} failed unexpectedly; it is retried when its lease ends", row.Id);
        }
    }

    private async Task RefreshStatsAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (now >= _sweepDue)
        {
            _sweepDue = now + TimeSpan.FromSeconds(10);
            _pacer.Sweep();
        }

        GiveMemoryBackAfterBurst();

        if (now < _statsDue)
        {
            return;
        }

        _statsDue = now + TimeSpan.FromSeconds(5);
        var stats = await _store.StatsAsync(now, ct);
        _metrics.QueueDepth = stats.Depth;
        _metrics.OldestDueSeconds = stats.OldestDueSeconds;
    }

    /// <summary>
    /// A fan-out to many tenants takes a few hundred MB for a minute; the instance then idles until the next one.
    /// Once nothing is held any more (no rows, no workers, every tenant forgotten by the pacer), one full,
    /// compacting collection per burst gives that memory back to the system instead of keeping it for the week.
    /// </summary>
    private void GiveMemoryBackAfterBurst()
    {
        if (_workers.Workers > 0 || _workers.Held > 0)
        {
            _burst = true;
        }
        else if (_burst && _pacer.TenantCount == 0)
        {
            _burst = false;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _logger.LogInformation("Outbox idle after a burst: memory given back ({Mb} MB still in use)", GC.GetTotalMemory(false) / (1024 * 1024));
        }
    }

    /// <summary>
    /// On shutdown, rows still waiting in memory go back to pending at once, sends under way finish, and the
    /// tenants are let go, so any other instance carries on without waiting for a lease.
    /// </summary>
    private async Task ShutDownAsync()
    {
        var waiting = _workers.Stop();
        try
        {
            if (waiting.Count > 0)
            {
                await _store.RetryAsync(waiting, Instance, _time.GetUtcNow(), null, countsAsAttempt: false, CancellationToken.None);
                _logger.LogInformation("Released {Count} queued deliveries on shutdown", waiting.Count);
            }
        }
        catch (Npgsql.NpgsqlException ex)
        {
            _logger.LogWarning(ex, "Could not release {Count} queued deliveries on shutdown; they are claimed again when their lease ends", waiting.Count);
        }

        await _workers.StoppedAsync();
        try
        {
            await _ownership.LeaveAsync(Instance, CancellationToken.None);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            _logger.LogWarning(ex, "Could not let go of this instance's tenants on shutdown; they are free when their lease ends");
        }
    }
}
