namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>
/// Slack's limits on <c>chat.postMessage</c> as the fake enforces them: about one message per second per channel
/// (<see cref="ChannelSpacing"/>) and a workspace-wide budget (<see cref="WorkspacePerSecond"/> in any one-second
/// window), and for other methods their rate tier, when one is set (<see cref="PerMinute"/>: Slack's tier 2, which
/// users.list is in, is about 20 calls a minute). Going over answers HTTP 429 with a Retry-After in whole seconds, as Slack does.
/// </summary>
public sealed class FakeSlackLimits(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _lastPerChannel = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _workspace = new();
    private readonly Lock _lock = new();

    public TimeSpan ChannelSpacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages per second the workspace takes; null: no workspace limit.</summary>
    public int? WorkspacePerSecond { get; set; }

    public int Throttled { get; private set; }

    /// <summary>Calls a minute a Web API method takes (its tier), by method name; a method not named here is not limited.</summary>
    public Dictionary<string, int> PerMinute { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _perMethod = new(StringComparer.Ordinal);

    /// <summary>Null when a call of <paramref name="method"/> may go now (and it is counted); else the Retry-After: when the oldest call in the minute leaves it.</summary>
    public TimeSpan? AdmitMethod(string method)
    {
        lock (_lock)
        {
            if (!PerMinute.TryGetValue(method, out var budget))
            {
                return null;
            }

            var now = time.GetUtcNow();
            var calls = _perMethod.TryGetValue(method, out var q) ? q : _perMethod[method] = new Queue<DateTimeOffset>();
            while (calls.Count > 0 && calls.Peek() <= now - TimeSpan.FromMinutes(1))
            {
                calls.Dequeue();
            }

            if (calls.Count >= budget)
            {
                Throttled++;
                return RoundUp(calls.Peek() + TimeSpan.FromMinutes(1) - now);
            }

            calls.Enqueue(now);
            return null;
        }
    }

    /// <summary>Null when the message may go (and it is counted); else the Retry-After to answer with.</summary>
    public TimeSpan? Admit(string channel)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_workspace.Count > 0 && _workspace.Peek() <= now - TimeSpan.FromSeconds(1))
            {
                _workspace.Dequeue();
            }

            if (_lastPerChannel.TryGetValue(channel, out var last) && now - last < ChannelSpacing)
            {
                Throttled++;
                return RoundUp(ChannelSpacing - (now - last));
            }

            if (WorkspacePerSecond is { } budget && _workspace.Count >= budget)
            {
                Throttled++;
                return RoundUp(_workspace.Peek() + TimeSpan.FromSeconds(1) - now);
            }

            _lastPerChannel[channel] = now;
            _workspace.Enqueue(now);
            return null;
        }
    }

    private static TimeSpan RoundUp(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
}
