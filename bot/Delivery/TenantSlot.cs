namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// A tenant's token (<see cref="TenantPacer"/>), held while its request is under way. Call <see cref="Sending"/>
/// just before the request leaves, and dispose when it was answered (or <see cref="NotSent"/> first when it was
/// never made): the pacer then knows the interval [sent, answered] in which Teams received it. When the call
/// goes through an HttpClient with <see cref="PacedRequestHandler"/>, that handler stamps the slot again as the
/// request is handed to the socket, so time spent before that (a token fetch, serialising, the pipeline) is not
/// taken for the network's.
/// </summary>
public sealed class TenantSlot : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<TenantSlot> _release;

    internal TenantSlot(TimeProvider time, Action<TenantSlot> release)
    {
        _time = time;
        _release = release;
        Granted = time.GetUtcNow();
    }

    internal DateTimeOffset Granted { get; }

    /// <summary>UTC ticks of the latest stamp, 0 before any: one word, so the pacer reads it whole without a lock.</summary>
    private long _sentTicks;

    /// <summary>When the request left (null: not yet, or not known).</summary>
    internal DateTimeOffset? SentAt => Interlocked.Read(ref _sentTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    internal bool WasSent { get; private set; } = true;

    internal bool Released { get; private set; }

    /// <summary>The request leaves now; a later stamp of the same request (closer to the wire) replaces an earlier one.</summary>
    public void Sending() => Interlocked.Exchange(ref _sentTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>The request was not made after all: the token returns at once.</summary>
    public void NotSent() => WasSent = false;

    public void Dispose()
    {
        if (Released)
        {
            return;
        }

        Released = true;
        _release(this);
    }
}
