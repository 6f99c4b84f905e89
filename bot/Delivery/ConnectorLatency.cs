namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// How long the platform takes to answer, from the outbox's own calls: the 90th percentile of the last few
/// hundred round trips. The dispatcher sizes its calls in flight and its workers per tenant by it (Little's law:
/// calls in flight = calls per second × seconds per call), so it follows what the network really does.
/// </summary>
public sealed class ConnectorLatency(TimeProvider time)
{
    /// <summary>Before enough calls were measured: what a public measurement found posting a Teams message takes.</summary>
    public static readonly TimeSpan Assumed = TimeSpan.FromMilliseconds(400);

    private const int Samples = 512;
    private const int Enough = 20;
    private static readonly TimeSpan Recompute = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly double[] _seconds = new double[Samples];
    private long _recorded;
    private TimeSpan _p90 = Assumed;
    private DateTimeOffset _computedAt = DateTimeOffset.MinValue;

    /// <summary>One call took this long (from sending to its answer).</summary>
    public void Record(TimeSpan roundTrip)
    {
        lock (_lock)
        {
            _seconds[_recorded++ % Samples] = roundTrip.TotalSeconds;
        }
    }

    /// <summary>The 90th percentile of the recent round trips (<see cref="Assumed"/> until enough were measured).</summary>
    public TimeSpan P90
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_lock)
            {
                if (_recorded >= Enough && now - _computedAt >= Recompute)
                {
                    var recent = _seconds.AsSpan(0, (int)Math.Min(_recorded, Samples)).ToArray();
                    Array.Sort(recent);
                    _p90 = TimeSpan.FromSeconds(recent[(int)(recent.Length * 0.9)]);
                    _computedAt = now;
                }

                return _p90;
            }
        }
    }
}
