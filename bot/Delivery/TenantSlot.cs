namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// A tenant's token (<see cref="TenantPacer"/>), held while its request is under way. Call <see cref="Sending"/>
/// just before the request leaves, and dispose when it was answered (or <see cref="NotSent"/> first when it was
/// never made): the pacer then knows the interval [sent, answered] in which Teams received it.
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

    /// <summary>When the request left (null: not yet, or not known).</summary>
    internal DateTimeOffset? SentAt { get; private set; }

    internal bool WasSent { get; private set; } = true;

    internal bool Released { get; private set; }

    /// <summary>The request leaves now.</summary>
    public void Sending() => SentAt ??= _time.GetUtcNow();

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
