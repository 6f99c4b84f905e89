using System.Net;
using System.Text.Json;
using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Teams.Turns;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Sends one claimed message: creates the person's 1:1 chat first when they have none (and stores it),
/// renders the card, paces, sends, and records what happened — sent; retried later (412/5xx, no answer);
/// tenant paused and retried after Retry-After (429); failed for good (400/401/403/404), with 403/404
/// marking the conversation unreachable. Only the sends let through the <see cref="InFlightGate"/> are between
/// "request sent" and "outcome recorded" at any moment: only those can be sent twice after a crash. Every call's
/// round trip is measured (<see cref="ConnectorLatency"/>).
/// </summary>
public sealed class DeliverySender(
    DeliveryStore store,
    BotConnectorClient connector,
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
    IOptions<TeamsOptions> teams,
    TimeProvider time,
    ILogger<DeliverySender> logger)
{
    private readonly Dictionary<string, IDeliveryKind> _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public async Task DeliverAsync(ClaimedDelivery row, string instance, CancellationToken ct)
    {
        // One HTTP request per paced call; failed attempts are retried here, through the outbox.
        using var oneTry = ConnectorRetry.WithoutRetries();
        if (tenants.PausedUntil(row.TenantId) is { } pausedUntil)
        {
            await store.RetryAsync([row.Id], instance, pausedUntil, "tenant paused after a 429", countsAsAttempt: false, ct);
            return;
        }

        if (row.PersonActive == false || row.Reachable == false)
        {
            await FinishAsync(row, "cancelled", row.PersonActive == false ? "the person is no longer active" : "the conversation is unreachable (the bot was removed or blocked)", ct);
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

        var target = await TargetAsync(row, instance, ct);
        if (target is null)
        {
            return;
        }

        var (serviceUrl, conversationId, chat) = target.Value;
        await conversations.AcquireAsync(conversationId, ct);
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Conversation = new ConversationAccount { Id = conversationId },
            Text = content.Card is null ? content.Text : null,
            Summary = content.Card?.Title,
            Attachments = content.Card is null ? null : [new Attachment { ContentType = Cards.AdaptiveCardRenderer.ContentType, Content = Cards.AdaptiveCardRenderer.Render(content.Card) }],
        };

        using var slot = await PaceAsync(row, instance, ct);
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
            var result = await connector.SendAsync(serviceUrl, conversationId, activity, ct);
            slot.Dispose(); // answered: the tenant's token starts its second
            latency.Record(time.GetElapsedTime(started));
            if (result.IsSuccess || result.Failure == ConnectorFailure.InvalidResponse)
            {
                tenants.Succeeded(row.TenantId);
                await recorder.RecordAsync(row.Id, (result as ConnectorResult<string>)?.Value, chat);
                metrics.Sent();
                return;
            }

            if (chat is not null)
            {
                await directory.UpsertConversationAsync(chat.TenantId, "personal", chat.ConversationId, chat.ServiceUrl, chat.PersonId, ct);
            }

            await OnFailureAsync(row, instance, result, conversationId, ct);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>
    /// Waits for a token of the tenant; null (and the row put back) when a 429 paused the tenant meanwhile,
    /// or when this instance no longer owns the tenant (another one sends from now on).
    /// </summary>
    private async Task<TenantSlot?> PaceAsync(ClaimedDelivery row, string instance, CancellationToken ct)
    {
        var slot = await tenants.AcquireAsync(row.TenantId, ct);
        (DateTimeOffset NotBefore, string Reason)? putBack = !ownership.Holds(row.TenantId) ? (time.GetUtcNow(), "handed over to another instance")
            : tenants.PausedUntil(row.TenantId) is { } pausedUntil ? (pausedUntil, "tenant paused after a 429")
            : null;
        if (putBack is null)
        {
            return slot;
        }

        slot.NotSent();
        slot.Dispose();
        await store.RetryAsync([row.Id], instance, putBack.Value.NotBefore, putBack.Value.Reason, countsAsAttempt: false, ct);
        return null;
    }

    /// <summary>
    /// The serviceUrl and conversation to send to; creates a person's 1:1 chat when needed (stored with the
    /// outcome). Null when the row was handled otherwise.
    /// </summary>
    private async Task<(string ServiceUrl, string ConversationId, NewChat? Chat)?> TargetAsync(ClaimedDelivery row, string instance, CancellationToken ct)
    {
        if (row.ConversationExternalId is { } known && row.ServiceUrl is { } knownUrl)
        {
            return (knownUrl, known, null);
        }

        if (row.PersonId is not { } personId || row.PersonUserId is not { } userId)
        {
            await FinishAsync(row, "failed", "the target conversation has no serviceUrl", ct);
            return null;
        }

        var serviceUrl = await store.TenantServiceUrlAsync(row.TenantId, time.GetUtcNow(), ct);
        if (serviceUrl is null)
        {
            await FinishAsync(row, "failed", "no serviceUrl is known for this tenant yet (the app has not been installed there)", ct);
            return null;
        }

        ConnectorResult<string> created;
        using (var slot = await PaceAsync(row, instance, ct))
        {
            if (slot is null)
            {
                return null;
            }

            slot.Sending();
            var started = time.GetTimestamp();
            created = await connector.CreatePersonalConversationAsync(serviceUrl, row.TenantExternalId, BotId, userId, ct);
            latency.Record(time.GetElapsedTime(started));
        }

        if (!created.IsSuccess || created.Value is not { Length: > 0 } conversationId)
        {
            await OnFailureAsync(row, instance, created, conversationId: null, ct);
            return null;
        }

        return (serviceUrl, conversationId, new NewChat(row.TenantId, personId, conversationId, serviceUrl));
    }

    private async Task OnFailureAsync(ClaimedDelivery row, string instance, ConnectorResult result, string? conversationId, CancellationToken ct)
    {
        var error = $"{(int?)result.StatusCode} {result.Failure} {result.ErrorCode ?? result.ErrorMessage}".Trim();
        switch (result.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                var resume = tenants.Throttled(row.TenantId, result.RetryAfter);
                metrics.Throttled();
                logger.LogWarning("429 for tenant {TenantId}: pausing it until {Resume:O} (correlation {CorrelationId})", row.TenantId, resume, result.CorrelatingOperationId);
                await store.RetryAsync([row.Id], instance, resume, error, countsAsAttempt: false, ct);
                return;
            case HttpStatusCode.Forbidden or HttpStatusCode.NotFound:
                if (conversationId is not null)
                {
                    await directory.MarkUnreachableAsync(row.TenantId, conversationId, error, ct);
                }

                await FinishAsync(row, "failed", error, ct);
                return;
            case HttpStatusCode.PreconditionFailed or >= HttpStatusCode.InternalServerError:
            case null when result.Failure is ConnectorFailure.NoResponse or ConnectorFailure.TokenUnavailable:
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

    /// <summary>The bot's Teams id; local clients (no AppId) do not check it.</summary>
    private string BotId => teams.Value.IsAuthenticated ? $"28:{teams.Value.AppId}" : "28:alignmentbot-local";
}
