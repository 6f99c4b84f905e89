using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Paces each tenant below Teams' per-tenant limit with a token bucket of one token (so no second of
/// sends can exceed the limit) refilled at the paced rate, and pauses a whole tenant after a 429
/// (as Company Communicator does): one throttled request means the tenant is at its limit.
/// </summary>
public sealed class TenantPacer(IOptions<DeliveryOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<long, Tenant> _tenants = new();

    private sealed class Tenant(TokenBucketRateLimiter limiter)
    {
        public TokenBucketRateLimiter Limiter { get; } = limiter;
        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;
        public int ConsecutiveThrottles { get; set; }
    }

    /// <summary>Waits for the tenant's next request slot.</summary>
    public async ValueTask AcquireAsync(long tenantId, CancellationToken ct)
    {
        using var lease = await Get(tenantId).Limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException($"The pacer for tenant {tenantId} refused a permit.");
        }
    }

    /// <summary>When the tenant may send again, if it is paused now.</summary>
    public DateTimeOffset? PausedUntil(long tenantId)
    {
        var until = _tenants.TryGetValue(tenantId, out var tenant) ? tenant.PausedUntil : DateTimeOffset.MinValue;
        return until > time.GetUtcNow() ? until : null;
    }

    /// <summary>A 429: pause the tenant for Retry-After, or for an exponential, jittered backoff when Teams gave none.</summary>
    public DateTimeOffset Throttled(long tenantId, TimeSpan? retryAfter)
    {
        var tenant = Get(tenantId);
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
            tenant.ConsecutiveThrottles = 0;
        }
    }

    public long[] PausedTenants() => [.. _tenants.Where(t => t.Value.PausedUntil > time.GetUtcNow()).Select(t => t.Key)];

    private Tenant Get(long tenantId) => _tenants.GetOrAdd(tenantId, _ =>
    {
        var rate = options.Value.PacedRequestsPerSecond;
        return new Tenant(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // One token: at most one request ahead of the rate, so any one-second window holds at most rate + 1.
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    });

    public void Dispose()
    {
        foreach (var tenant in _tenants.Values)
        {
            tenant.Limiter.Dispose();
        }
    }
}
