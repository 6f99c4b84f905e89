using System.Threading.Channels;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Delivery;

/// <summary>A 1:1 chat the dispatcher created for a person, to be stored with the message sent in it.</summary>
public sealed record NewChat(long TenantId, long PersonId, string ConversationId, string? ServiceUrl);

/// <summary>
/// Records sent messages (and the chats created for them) in batches: at fan-out rates one statement per
/// message costs more than the sending. A caller's <see cref="RecordAsync"/> returns once its row is
/// committed, so a message counts as in flight until then — the crash bound in the README holds as is.
/// Batches form on their own: whatever arrived while the previous one was being written.
/// </summary>
public sealed class SentRecorder : IAsyncDisposable
{
    private const int MaxBatch = 500;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<SentRecorder> _logger;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly CancellationTokenSource _stopping = new();

    private sealed record Pending(long DeliveryId, string? MessageId, string? ConversationId, DateTimeOffset SentAt, NewChat? Chat, TaskCompletionSource Done);

    public SentRecorder(NpgsqlDataSource dataSource, TimeProvider time, ILogger<SentRecorder> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// Marks the delivery sent (keeping the platform's message id and the conversation it landed in, both needed to update
    /// it) and stores the chat it created; returns when committed.
    /// </summary>
    public Task RecordAsync(long deliveryId, string? messageId, NewChat? chat, string? conversationId = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite(new Pending(deliveryId, messageId, conversationId, _time.GetUtcNow(), chat, done)))
        {
            done.SetException(new InvalidOperationException("The recorder has stopped."));
        }

        return done.Task;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await FlushUntilWrittenAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// Retries a failed write (the database is down) rather than giving up: the callers keep their send slots
    /// meanwhile, so no more than the in-flight bound is ever sent without being recorded.
    /// </summary>
    private async Task FlushUntilWrittenAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await FlushAsync(batch);
                batch.ForEach(p => p.Done.SetResult());
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (_pending.Reader.Completion.IsCompleted || _stopping.IsCancellationRequested)
                {
                    // Shutting down: the rows stay 'sending' and go again when their lease ends (the bounded duplicates).
                    _logger.LogError(ex, "Could not record {Count} sent deliveries before stopping", batch.Count);
                    batch.ForEach(p => p.Done.SetException(ex));
                    return;
                }

                var wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
                _logger.LogError(ex, "Recording {Count} sent deliveries failed (attempt {Attempt}); sending waits, retrying in {Wait}", batch.Count, attempt, wait);
                try
                {
                    await Task.Delay(wait, _time, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    // stopping: one last try
                }
            }
        }
    }

    // Chats first, then the deliveries, in one transaction. A chat appears once per batch (ON CONFLICT may not touch a row twice).
    private const string StoreChats = """
        INSERT INTO conversations (tenant_id, kind, conversation_id, service_url, person_id, updated_at)
        SELECT c.tenant_id, 'personal', c.conversation_id, c.service_url, c.person_id, @Now
        FROM unnest(@TenantIds, @ConversationIds, @ServiceUrls, @PersonIds) AS c(tenant_id, conversation_id, service_url, person_id)
        ON CONFLICT (tenant_id, conversation_id) DO UPDATE
        SET service_url = EXCLUDED.service_url, person_id = coalesce(EXCLUDED.person_id, conversations.person_id),
            reachable = true, unreachable_reason = NULL, updated_at = EXCLUDED.updated_at
        """;

    private const string MarkSent = """
        UPDATE deliveries d
        SET status = 'sent', sent_at = s.sent_at, platform_message_id = s.message_id, platform_conversation_id = s.conversation_id,
            last_error = NULL, lease_until = NULL
        FROM unnest(@Ids, @MessageIds, @ConversationIds, @SentAts) AS s(id, message_id, conversation_id, sent_at)
        WHERE d.id = s.id AND d.status = 'sending'
        """;

    private async Task FlushAsync(List<Pending> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var chats = batch.Where(p => p.Chat is not null).Select(p => p.Chat!).DistinctBy(c => (c.TenantId, c.ConversationId)).ToList();
        if (chats.Count > 0)
        {
            await connection.ExecuteAsync(StoreChats, new
            {
                TenantIds = chats.Select(c => c.TenantId).ToArray(),
                ConversationIds = chats.Select(c => c.ConversationId).ToArray(),
                ServiceUrls = chats.Select(c => c.ServiceUrl).ToArray(),
                PersonIds = chats.Select(c => c.PersonId).ToArray(),
                Now = _time.GetUtcNow(),
            }, transaction);
        }

        await connection.ExecuteAsync(MarkSent, new
        {
            Ids = batch.Select(p => p.DeliveryId).ToArray(),
            MessageIds = batch.Select(p => p.MessageId).ToArray(),
            ConversationIds = batch.Select(p => p.ConversationId).ToArray(),
            SentAts = batch.Select(p => p.SentAt).ToArray(),
        }, transaction);
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _writer;
        _stopping.Dispose();
    }
}
