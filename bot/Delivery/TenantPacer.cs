using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Keeps each tenant under Teams' per-tenant limit (requests per second, counted where Teams receives them)
/// without waiting for 429s. A bucket of <see cref="DeliveryOptions.TenantRequestsPerWindow"/> tokens per tenant:
/// a request takes one, and the token comes back one second after the request was answered. Teams received
/// the request somewhere between taking and answering, so however the network or a stalled thread bunches
/// requests on the way, no one-second window at Teams holds more than the bucket — the guarantee a
/// rate-only token bucket loses to jitter. Requests are also spread out, 1/limit s apart on average (no bursts).
/// After a 429 the whole tenant pauses, as Company Communicator does.
/// </summary>
public sealed class TenantPacer(IOptions<DeliveryOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, Tenant> _tenants = new();

    private sealed class Tenant
    {
        /// <summary>When the requests of the last second were answered.</summary>
        public Queue<DateTimeOffset> Answered { get; } = new();
        public int InFlight { get; set; }
        public DateTimeOffset NextSlot { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;
        public int ConsecutiveThrottles { get; set; }

        /// <summary>One waiter at a time watches the clock; the others queue here without polling.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    /// <summary>The least time between two requests of one tenant.</summary>
    public TimeSpan Spacing => TimeSpan.FromSeconds(1 / options.Value.TenantRequestsPerSecond);

    /// <summary>Waits for a token of the tenant; dispose the slot when the request has been answered (or was not sent).</summary>
    public async ValueTask<TenantSlot> AcquireAsync(long tenantId, CancellationToken ct)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new Tenant());
        var limit = options.Value.TenantRequestsPerWindow;
        await tenant.Gate.WaitAsync(ct);
        try
        {
            return await NextSlotAsync(tenant, limit, ct);
        }
        finally
        {
            tenant.Gate.Release();
        }
    }

    private async Task<TenantSlot> NextSlotAsync(Tenant tenant, int limit, CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (tenant)
            {
                var now = time.GetUtcNow();
                while (tenant.Answered.Count > 0 && tenant.Answered.Peek() <= now - Window)
                {
                    tenant.Answered.Dequeue();
                }

                if (now >= tenant.NextSlot && tenant.InFlight + tenant.Answered.Count < limit)
                {
                    tenant.InFlight++;
                    // On a schedule, not "now + spacing": a timer a little late must not slow the tenant down.
                    // After a pause (idle, or a whole interval late) the schedule starts again from now.
                    tenant.NextSlot = tenant.NextSlot + Spacing > now ? tenant.NextSlot + Spacing : now + Spacing;
                    return new TenantSlot(this, tenant);
                }

                // The next moment something can change: the spacing ends, or the oldest answered token returns;
                // with every token in flight, look again after one spacing.
                wait = now < tenant.NextSlot ? tenant.NextSlot - now
                    : tenant.Answered.Count > 0 ? tenant.Answered.Peek() + Window - now
                    : Spacing;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, ct);
        }
    }

    /// <summary>A tenant's token, held while its request is under way.</summary>
    public sealed class TenantSlot : IDisposable
    {
        private readonly TenantPacer _pacer;
        private readonly object _tenant;
        private bool _sent = true;
        private bool _disposed;

        internal TenantSlot(TenantPacer pacer, object tenant)
        {
            _pacer = pacer;
            _tenant = tenant;
        }

        /// <summary>The request was not made after all: the token returns at once.</summary>
        public void NotSent() => _sent = false;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var tenant = (Tenant)_tenant;
            lock (tenant)
            {
                tenant.InFlight--;
                if (_sent)
                {
                    tenant.Answered.Enqueue(_pacer.Now);
                }
            }
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>When the tenant may send again, if it is paused now.</summary>
    public DateTimeOffset? PausedUntil(long tenantId)
    {
        var until = _tenants.TryGetValue(tenantId, out var tenant) ? tenant.PausedUntil : DateTimeOffset.MinValue;
        return until > time.GetUtcNow() ? until : null;
    }

    /// <summary>A 429: pause the tenant for Retry-After, or for an exponential, jittered backoff when Teams gave none.</summary>
    public DateTimeOffset Throttled(long tenantId, TimeSpan? retryAfter)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new Tenant());
        lock (tenant)
        {
            tenant.ConsecutiveThrottles++;
            var backoff = options.Value.ThrottleBaseDelay * Math.Pow(2, Math.Min(tenant.ConsecutiveThrottles - 1, 6));
            var wait = retryAfter ?? backoff * (0.8 + Random.Shared.NextDouble() * 0.4);
            var until = time.GetUtcNow() + wait;
            if (until > tenant.PausedUntil)
            {
                tenant.PausedUntil = until;
            }

            return tenant.PausedUntil;
        }
    }

    public void Succeeded(long tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var tenant))
        {
            lock (tenant)
            {
                tenant.ConsecutiveThrottles = 0;
            }
        }
    }

    public long[] PausedTenants() => [.. _tenants.Where(t => t.Value.PausedUntil > time.GetUtcNow()).Select(t => t.Key)];
}
