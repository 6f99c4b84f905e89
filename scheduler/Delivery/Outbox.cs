using System.Text.Json;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Delivery;

/// <summary>
/// One logical proactive message. <see cref="IdempotencyKey"/> names it (e.g. "pulse:run-12:person-7"):
/// enqueueing the same key again does nothing, so a job that runs twice enqueues once.
/// Exactly one of <see cref="PersonId"/> (reached in their 1:1 chat, created when missing) and
/// <see cref="ConversationId"/> (a channel) is the target.
/// </summary>
public sealed record NewDelivery(
    long TenantId,
    string Kind,
    JsonElement Payload,
    string IdempotencyKey,
    DateTimeOffset NotBefore,
    long? PersonId = null,
    long? ConversationId = null);

/// <summary>Writes deliveries; the bot's dispatcher sends them.</summary>
public sealed class Outbox(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Enqueue = """
        INSERT INTO deliveries (tenant_id, person_id, conversation_id, kind, payload, idempotency_key, not_before, created_at)
        SELECT d.tenant_id, d.person_id, d.conversation_id, d.kind, d.payload::jsonb, d.idempotency_key, d.not_before, @Now
        FROM unnest(@TenantIds, @PersonIds, @ConversationIds, @Kinds, @Payloads, @Keys, @NotBefores)
             AS d(tenant_id, person_id, conversation_id, kind, payload, idempotency_key, not_before)
        ON CONFLICT (idempotency_key) DO NOTHING
        """;

    /// <summary>Adds the deliveries in one statement, skipping keys already present; returns how many were new.</summary>
    public async Task<int> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken ct)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await EnqueueAsync(connection, null, deliveries, ct);
    }

    /// <summary>The same, inside the caller's transaction: the messages are written only if the decision behind them is.</summary>
    public async Task<int> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<NewDelivery> deliveries, CancellationToken ct)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }

        foreach (var delivery in deliveries)
        {
            if ((delivery.PersonId is null) == (delivery.ConversationId is null))
            {
                throw new ArgumentException($"Delivery {delivery.IdempotencyKey} needs exactly one target: a person or a conversation.", nameof(deliveries));
            }
        }

        return await connection.ExecuteAsync(new CommandDefinition(Enqueue, new
        {
            TenantIds = deliveries.Select(d => d.TenantId).ToArray(),
            PersonIds = deliveries.Select(d => d.PersonId).ToArray(),
            ConversationIds = deliveries.Select(d => d.ConversationId).ToArray(),
            Kinds = deliveries.Select(d => d.Kind).ToArray(),
            Payloads = deliveries.Select(d => d.Payload.GetRawText()).ToArray(),
            Keys = deliveries.Select(d => d.IdempotencyKey).ToArray(),
            NotBefores = deliveries.Select(d => d.NotBefore).ToArray(),
            Now = time.GetUtcNow(),
        }, transaction, cancellationToken: ct));
    }
}
