using System.Threading.RateLimiting;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Teams' per-conversation limits for a bot (docs/teams.md): 7 per second, 60 per 30 seconds,
/// 1800 per hour. They matter for channels (digests) and bursts to one person; fan-out rarely meets them.
/// </summary>
public sealed class ConversationPacer : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.CreateChained(
        Window(7, TimeSpan.FromSeconds(1), 10),
        Window(60, TimeSpan.FromSeconds(30), 30),
        Window(1800, TimeSpan.FromHours(1), 60));

    public async ValueTask AcquireAsync(string conversationId, CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(conversationId, 1, ct);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException($"The pacer for conversation {conversationId} refused a permit.");
        }
    }

    private static PartitionedRateLimiter<string> Window(int permits, TimeSpan window, int segments) =>
        PartitionedRateLimiter.Create<string, string>(conversation => RateLimitPartition.GetSlidingWindowLimiter(conversation, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            SegmentsPerWindow = segments,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));

    public void Dispose() => _limiter.Dispose();
}
