namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Processes what <see cref="AnsweredFirst"/> holds, a few at a time. A failure is logged and the activity
/// dropped (see the queue for why that is safe); on shutdown whatever is still queued is dropped likewise.
/// </summary>
public sealed class AnsweredFirstWorker(AnsweredFirst queue, TeamsTurnProcessor turns, TeamsReplySender replies, ILogger<AnsweredFirstWorker> logger) : BackgroundService
{
    // Enough to keep the database busy without letting a burst of typing take every pooled connection.
    private const int Workers = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var activity in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await replies.SendAsync(await turns.ProcessAsync(activity, ct), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "A {Type} activity answered before processing could not be processed", activity.Type);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: what is left is safe to lose.
        }
    }
}
