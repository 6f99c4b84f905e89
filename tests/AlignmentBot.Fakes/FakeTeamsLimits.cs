namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// Teams' documented rate limits and a network latency, for one tenant's fake connector (attach one per
/// tenant): 50 requests per second per app per tenant, and per conversation 7 per second, 60 per 30 s and
/// 1800 per hour. Over a limit → 429 with Retry-After, as Teams answers. Every request arriving counts, at
/// the moment it arrives (<see cref="FakeLatency"/>: somewhere between sending and answering).
/// </summary>
public sealed class FakeTeamsLimits
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _tenant = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _conversations = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private static readonly (int Permits, TimeSpan Window)[] ConversationLimits =
        [(7, TimeSpan.FromSeconds(1)), (60, TimeSpan.FromSeconds(30)), (1800, TimeSpan.FromHours(1))];

    public FakeTeamsLimits(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int TenantRequestsPerSecond { get; init; } = 50;

    /// <summary>How long each call takes (a <see cref="TimeSpan"/> converts to a fixed latency).</summary>
    public FakeLatency Latency { get; init; } = FakeLatency.Fixed(TimeSpan.FromMilliseconds(20));

    /// <summary>How often a limit was exceeded (each one a 429).</summary>
    public int Violations { get; private set; }

    public FakeTeamsLimits AttachTo(FakeBotConnector connector)
    {
        connector.OnRequest = HandleAsync;
        return this;
    }

    private async ValueTask<FakeReply?> HandleAsync(FakeRequest request, CancellationToken ct)
    {
        // Counted as it arrives (as Teams counts at its front door); the rest of the latency is the time to answer.
        var (arrival, answer, serverError) = Latency.Next(Random.Shared);
        if (arrival > TimeSpan.Zero)
        {
            await Task.Delay(arrival, ct);
        }

        var over = Count(request, _time.GetUtcNow());
        if (answer - arrival > TimeSpan.Zero)
        {
            await Task.Delay(answer - arrival, ct);
        }

        return over ? FakeReply.TooManyRequests(TimeSpan.FromSeconds(1))
            : serverError ? FakeReply.Error(503, "ServiceUnavailable", "The fake's backend is having a moment.")
            : null;
    }

    private bool Count(FakeRequest request, DateTimeOffset now)
    {
        lock (_lock)
        {
            var over = !Admit(_tenant, now, TenantRequestsPerSecond, TimeSpan.FromSeconds(1));
            if (request.ConversationId is { } conversation && request.Operation is FakeOperation.Send or FakeOperation.Reply or FakeOperation.Update)
            {
                if (!_conversations.TryGetValue(conversation, out var sends))
                {
                    _conversations[conversation] = sends = new Queue<DateTimeOffset>();
                }

                over |= ConversationLimits.Any(limit => Count(sends, now, limit.Window) >= limit.Permits);
                sends.Enqueue(now);
                Trim(sends, now, TimeSpan.FromHours(1));
            }

            if (over)
            {
                Violations++;
            }

            return over;
        }
    }

    /// <summary>Counts this request in the window; false when the window was already full.</summary>
    private static bool Admit(Queue<DateTimeOffset> window, DateTimeOffset now, int permits, TimeSpan length)
    {
        Trim(window, now, length);
        var admitted = window.Count < permits;
        window.Enqueue(now);
        return admitted;
    }

    private static int Count(Queue<DateTimeOffset> window, DateTimeOffset now, TimeSpan length) => window.Count(t => t > now - length);

    private static void Trim(Queue<DateTimeOffset> window, DateTimeOffset now, TimeSpan length)
    {
        while (window.Count > 0 && window.Peek() <= now - length)
        {
            window.Dequeue();
        }
    }
}
