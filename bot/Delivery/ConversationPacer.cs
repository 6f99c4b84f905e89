using System.Collections.Concurrent;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// A platform's per-conversation limits (its transport's <see cref="IChatTransport.ConversationLimits"/>: Teams
/// 7 per second, 60 per 30 seconds, 1800 per hour; Slack about 1 per second per channel). They matter for channels
/// (digests) and bursts to one person; a fan-out to 1:1 chats never meets them, so a conversation costs one small
/// log of its last hour's sends, dropped once it falls quiet.
/// </summary>
public sealed class ConversationPacer(TimeProvider time)
{
    /// <summary>Teams' limits, for callers that name none.</summary>
    private static readonly ConversationLimit[] TeamsLimits =
        [new(7, TimeSpan.FromSeconds(1)), new(60, TimeSpan.FromSeconds(30)), new(1800, TimeSpan.FromHours(1))];

    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _sends = new(StringComparer.Ordinal);
    private DateTimeOffset _sweepDue = DateTimeOffset.MinValue;

    /// <summary>Waits until one more message to the conversation stays within Teams' three limits, and counts it.</summary>
    public ValueTask AcquireAsync(string conversationId, CancellationToken ct) => AcquireAsync(conversationId, TeamsLimits, ct);

    /// <summary>Waits until one more message to the conversation stays within all the limits (none longer than an hour), and counts it.</summary>
    public async ValueTask AcquireAsync(string conversationId, IReadOnlyList<ConversationLimit> limits, CancellationToken ct)
    {
        Sweep();
        var sends = _sends.GetOrAdd(conversationId, _ => new Queue<DateTimeOffset>());
        while (true)
        {
            TimeSpan wait;
            lock (sends)
            {
                var now = time.GetUtcNow();
                while (sends.Count > 0 && sends.Peek() <= now - Longest)
                {
                    sends.Dequeue();
                }

                wait = limits.Select(limit => WaitFor(sends, now, limit.Permits, limit.Window)).Max();
                if (wait <= TimeSpan.Zero)
                {
                    sends.Enqueue(now);
                    return;
                }
            }

            await Task.Delay(wait, time, ct);
        }
    }

    /// <summary>How long until the window has room: zero when it has; else until its oldest counted send leaves it.</summary>
    private static TimeSpan WaitFor(Queue<DateTimeOffset> sends, DateTimeOffset now, int permits, TimeSpan window)
    {
        var inWindow = sends.Where(t => t > now - window).ToList();
        return inWindow.Count < permits ? TimeSpan.Zero : inWindow[inWindow.Count - permits] + window - now;
    }

    /// <summary>Forgets conversations quiet for an hour (at most once a minute), so a fan-out leaves nothing behind.</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        if (now < _sweepDue)
        {
            return;
        }

        _sweepDue = now + TimeSpan.FromMinutes(1);
        foreach (var (conversation, sends) in _sends)
        {
            lock (sends)
            {
                if (sends.Count == 0 || sends.Last() <= now - Longest)
                {
                    _sends.TryRemove(conversation, out _);
                }
            }
        }
    }
}
