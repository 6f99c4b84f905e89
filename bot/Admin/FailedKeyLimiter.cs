using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Counts wrong admin keys per client address with the framework's partitioned rate limiter: each failure takes a
/// permit from that address's fixed window; once none is left every request from there is 429 (with Retry-After)
/// until the window turns, even one with a good key, so guessing gets no answer at all. Good keys take nothing.
/// Behind a reverse proxy every client shares the proxy's address: keep the admin listener off the proxy.
/// </summary>
public sealed class FailedKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public FailedKeyLimiter(IOptions<AdminOptions> options)
    {
        var (limit, window) = (options.Value.FailedKeyLimit, options.Value.FailedKeyWindow);
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null while the address may still try; else how long until it may (at least a second).</summary>
    public TimeSpan? LockedOut(IPAddress? client)
    {
        var address = client ?? IPAddress.None;
        if (_limiter.GetStatistics(address) is { CurrentAvailablePermits: > 0 })
        {
            return null;
        }

        // Asking for a permit that is not there takes nothing and says when the window turns.
        using var lease = _limiter.AttemptAcquire(address, 1);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>One wrong key from this address.</summary>
    public void Failed(IPAddress? client)
    {
        using var lease = _limiter.AttemptAcquire(client ?? IPAddress.None, 1);
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1);

    public void Dispose() => _limiter.Dispose();
}
