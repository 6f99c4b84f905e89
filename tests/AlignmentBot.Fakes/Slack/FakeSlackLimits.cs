namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>
/// Slack's limits on <c>chat.postMessage</c> as the fake enforces them: about one message per second per channel
/// (<see cref="ChannelSpacing"/>) and a workspace-wide budget (<see cref="WorkspacePerSecond"/> in any one-second
/// window). Going over answers HTTP 429 with a Retry-After in whole seconds, as Slack does.
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
