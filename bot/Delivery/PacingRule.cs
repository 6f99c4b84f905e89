namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// When a tenant's token comes back (<see cref="TenantPacer"/>). Teams counts a request when it arrives, which
/// is somewhere between sending it and its answer; a token must not come back before that second has passed.
/// </summary>
public enum PacingRule
{
    /// <summary>
    /// One second after the answer: exact wherever in [send, answer] Teams received the request, so never a 429
    /// from the pacing — but each token is held for 1 s + the round trip, so a tenant gets at most
    /// limit / (1 s + latency): 40 of 50 requests/s at 250 ms, 31 at 600 ms.
    /// </summary>
    Answered,

    /// <summary>
    /// One second after the earlier of the answer and sending + <see cref="DeliveryOptions.ArrivalAllowance"/>:
    /// assumes Teams received each request within the allowance of its sending (the outbound network), whatever
    /// the processing time after. Nearly the full rate at any latency; a request that reached Teams later than
    /// the allowance can make a 429: the tenant then pauses for Retry-After, and its allowance doubles (at most
    /// once a second, up to 1 s, until the tenant is forgotten), so late arrivals cost a few 429s, not a stream.
    /// </summary>
    Sent,
}
