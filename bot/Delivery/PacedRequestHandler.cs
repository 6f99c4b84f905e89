namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// The last handler before the socket in a platform's HttpClient: stamps the <see cref="TenantSlot"/> of the
/// paced call under way (<see cref="For"/>) at the moment its request is handed to the connection. The Sent
/// rule counts a request's second from its sending; stamped earlier, the time spent fetching a token,
/// serialising and in the pipeline (which grows on a busy machine) would look like network delay and cost
/// 429s. Calls made outside <see cref="For"/> (rosters, turns' replies) pass untouched.
/// </summary>
public sealed class PacedRequestHandler : DelegatingHandler
{
    private static readonly AsyncLocal<TenantSlot?> Current = new();

    /// <summary>Calls made inside the returned scope belong to <paramref name="slot"/>.</summary>
    public static IDisposable For(TenantSlot slot)
    {
        var before = Current.Value;
        Current.Value = slot;
        return new Restore(before);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Current.Value?.Sending();
        return base.SendAsync(request, cancellationToken);
    }

    private sealed class Restore(TenantSlot? before) : IDisposable
    {
        public void Dispose() => Current.Value = before;
    }
}
