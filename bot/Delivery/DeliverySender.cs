using System.Text.Json;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Turns;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Sends one claimed message through its platform's <see cref="IChatTransport"/>: creates the person's 1:1 chat
/// first when the platform needs one and they have none (and stores it), renders the content, paces, sends, and
/// records what happened — sent; retried later (<see cref="SendStatus.Retry"/>); tenant paused and retried after
/// Retry-After (<see cref="SendStatus.Throttled"/>); failed for good, with <see cref="SendStatus.Unreachable"/>
/// marking the conversation unreachable. Only the sends let through the <see cref="InFlightGate"/> are between
/// "request sent" and "outcome recorded" at any moment: only those can be sent twice after a crash. Every call's
/// round trip is measured (<see cref="ConnectorLatency"/>). Features and this engine never see a platform's
/// wire format.
/// </summary>
public sealed class DeliverySender(
    DeliveryStore store,
    IEnumerable<IChatTransport> transports,
    ConversationDirectory directory,
    TenantPacer tenants,
    ConversationPacer conversations,
    TenantOwnership ownership,
    SentRecorder recorder,
    InFlightGate inFlight,
    ConnectorLatency latency,
    IEnumerable<IDeliveryKind> kinds,
    DeliveryMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliverySender> logger)
{
    private readonly Dictionary<string, IDeliveryKind> _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);
    private readonly Dictionary<string, IChatTransport> _transports = transports.ToDictionary(t => t.Platform, StringComparer.Ordinal);

    public async Task DeliverAsync(ClaimedDelivery row, string instance, CancellationToken ct)
    {
        if (tenants.PausedLong(row.TenantId) is { } pausedUntil)
        {
            await store.RetryAsync([row.Id], instance, pausedUntil, "tenant paused after a 429", countsAsAttempt: false, ct);
            return;
        }

        if (row.PersonActive == false || row.Reachable == false)
        {
            await FinishAsync(row, "cancelled", row.PersonActive == false ? "the person is no longer active" : "the conversation is unreachable (the bot was removed or blocked)", ct);
            return;
        }

        if (!_transports.TryGetValue(row.Platform, out var transport))
        {
            await FinishAsync(row, "failed", $"no transport for platform \"{row.Platform}\" (not configured)", ct);
            return;
        }

        Reply? rendered;
        try
        {
            rendered = _kinds.TryGetValue(row.Kind, out var kind)
                ? await kind.RenderAsync(JsonDocument.Parse(row.Payload).RootElement, row.PersonId, ct)
                : throw new ArgumentException($"no renderer for kind \"{row.Kind}\"");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            await FinishAsync(row, "failed", $"cannot render: {ex.Message}", ct);
            return;
        }

        if (rendered is not { } content)
        {
            await FinishAsync(row, "cancelled", "no longer relevant when its turn came (e.g. the pulse closed)", ct);
            return;
        }

        var target = await TargetAsync(transport, row, instance, ct);
        if (target is null)
        {
            return;
        }

        var (address, chat) = target.Value;
        await conversations.AcquireAsync(address.ConversationId, transport.ConversationLimits, ct);

        using var slot = await PaceAsync(transport, row, instance, ct);
        if (slot is null)
        {
            return;
        }

        // Taken after pacing, so rows waiting for their tenant's turn never hold a place another tenant could use.
        await inFlight.WaitAsync(ct);
        try
        {
            slot.Sending();
            var started = time.GetTimestamp();
            SendResult result;
            using (PacedRequestHandler.For(slot))
            {
                result = await transport.SendAsync(address, content, ct);
            }

            slot.Dispose(); // answered: the tenant's token starts its second
            latency.Record(time.GetElapsedTime(started));
            if (result.IsSent)
            {
                tenants.Succeeded(row.TenantId);
                // A message addressed to the person (Slack: their user id) landed in their DM: kept as their personal conversation.
                if (chat is null && row.PersonId is { } personId && row.ConversationExternalId is null
                    && result.ConversationId is { Length: > 0 } landed && landed != address.ConversationId)
                {
                    chat = new NewChat(row.TenantId, personId, landed, null);
                }

                await recorder.RecordAsync(row.Id, result.MessageId, chat, result.ConversationId ?? address.ConversationId);
                metrics.Sent();
                return;
            }

            if (chat is not null)
            {
                await directory.UpsertConversationAsync(chat.TenantId, "personal", chat.ConversationId, chat.ServiceUrl, chat.PersonId, ct);
            }

            await OnFailureAsync(row, instance, result, address.ConversationId, ct);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>
    /// Waits for a token of the tenant (a short pause after a 429 is waited out); null (and the row put back) when
    /// a 429 paused the tenant for long meanwhile, or when this instance no longer owns the tenant (another one
    /// sends from now on).
    /// </summary>
    private async Task<TenantSlot?> PaceAsync(IChatTransport transport, ClaimedDelivery row, string instance, CancellationToken ct)
    {
        while (true)
        {
            var slot = await tenants.AcquireAsync(row.TenantId, transport.TenantRequestsPerSecond, ct);
            (DateTimeOffset NotBefore, string Reason)? putBack = !ownership.Holds(row.TenantId) ? (time.GetUtcNow(), "handed over to another instance")
                : tenants.PausedLong(row.TenantId) is { } pausedUntil ? (pausedUntil, "tenant paused after a 429")
                : null;
            if (putBack is null && tenants.PausedUntil(row.TenantId) is null)
            {
                return slot;
            }

            slot.NotSent();
            slot.Dispose();
            if (putBack is null)
            {
                // A 429 came in just as the token was granted: wait that short pause out too.
                continue;
            }

            await store.RetryAsync([row.Id], instance, putBack.Value.NotBefore, putBack.Value.Reason, countsAsAttempt: false, ct);
            return null;
        }
    }

    /// <summary>
    /// Where to send: the row's conversation; for a person without one, their user id where the platform takes it,
    /// else a 1:1 chat created now (stored with the outcome). Null when the row was handled otherwise.
    /// </summary>
    private async Task<(OutboundAddress Address, NewChat? Chat)?> TargetAsync(IChatTransport transport, ClaimedDelivery row, string instance, CancellationToken ct)
    {
        if (row.ConversationExternalId is { } known && (row.ServiceUrl is not null || !transport.NeedsPersonalChat))
        {
            return (new OutboundAddress(row.TenantId, known, row.ServiceUrl), null);
        }

        if (row.PersonId is not { } personId || row.PersonUserId is not { } userId)
        {
            await FinishAsync(row, "failed", "the target conversation has no address", ct);
            return null;
        }

        if (!transport.NeedsPersonalChat)
        {
            return (new OutboundAddress(row.TenantId, userId, null), null);
        }

        var host = await transport.PersonalChatHostAsync(row, ct);
        if (host is null)
        {
            await FinishAsync(row, "failed", "no serviceUrl is known for this tenant yet (the app has not been installed there)", ct);
            return null;
        }

        SendResult created;
        using (var slot = await PaceAsync(transport, row, instance, ct))
        {
            if (slot is null)
            {
                return null;
            }

            slot.Sending();
            var started = time.GetTimestamp();
            using (PacedRequestHandler.For(slot))
            {
                created = await transport.OpenPersonalChatAsync(row, host, ct);
            }

            latency.Record(time.GetElapsedTime(started));
        }

        if (!created.IsSent || created.ConversationId is not { Length: > 0 } conversationId)
        {
            await OnFailureAsync(row, instance, created, conversationId: null, ct);
            return null;
        }

        return (new OutboundAddress(row.TenantId, conversationId, host), new NewChat(row.TenantId, personId, conversationId, host));
    }

    private async Task OnFailureAsync(ClaimedDelivery row, string instance, SendResult result, string? conversationId, CancellationToken ct)
    {
        var error = result.Error ?? result.Status.ToString();
        switch (result.Status)
        {
            case SendStatus.Throttled:
                var resume = tenants.Throttled(row.TenantId, result.RetryAfter);
                metrics.Throttled();
                logger.LogWarning("429 for tenant {TenantId}: pausing it until {Resume:O} (correlation {CorrelationId})", row.TenantId, resume, result.Correlation);
                await store.RetryAsync([row.Id], instance, resume, error, countsAsAttempt: false, ct);
                return;
            case SendStatus.Unreachable:
                if (conversationId is not null)
                {
                    await directory.MarkUnreachableAsync(row.TenantId, conversationId, error, ct);
                }

                await FinishAsync(row, "failed", error, ct);
                return;
            case SendStatus.Retry:
                if (row.Attempts >= options.Value.MaxAttempts)
                {
                    await FinishAsync(row, "failed", $"gave up after {row.Attempts} attempts: {error}", ct);
                    return;
                }

                var delay = options.Value.RetryBaseDelay * Math.Pow(2, row.Attempts - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
                await store.RetryAsync([row.Id], instance, time.GetUtcNow() + delay, error, countsAsAttempt: true, ct);
                return;
            default:
                await FinishAsync(row, "failed", error, ct);
                return;
        }
    }

    private async Task FinishAsync(ClaimedDelivery row, string status, string error, CancellationToken ct)
    {
        logger.LogWarning("Delivery {Id} ({Kind}) {Status}: {Error}", row.Id, row.Kind, status, error);
        await store.FinishAsync(row.Id, status, error, ct);
        metrics.Failed(status);
    }
}
