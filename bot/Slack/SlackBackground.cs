using System.Threading.Channels;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// Work Slack is answered before: Slack wants its 2xx within 3 seconds, so the endpoints acknowledge and queue what
/// the request asks for (a turn, a card update, an install). Work runs a few at a time; a failure is logged.
/// Events were claimed in PostgreSQL before the acknowledgement (<see cref="SlackEventStore"/>).
/// </summary>
public sealed class SlackBackground(ILogger<SlackBackground> logger) : BackgroundService
{
    public const int Capacity = 10_000;
    private const int Workers = 4;

    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    private int _pending;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    /// <summary>False when the queue is full (the endpoint then answers 503 and Slack retries).</summary>
    public bool TryQueue(string what, Func<CancellationToken, Task> work)
    {
        lock (_queue)
        {
            if (_pending++ == 0)
            {
                _idle = NewIdle(completed: false);
            }
        }

        if (_queue.Writer.TryWrite((what, work)))
        {
            return true;
        }

        Finished();
        return false;
    }

    /// <summary>Completes when nothing is queued or running (tests wait on it instead of sleeping).</summary>
    public Task WhenIdleAsync()
    {
        lock (_queue)
        {
            return _idle.Task;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (what, work) in _queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await work(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Slack work failed: {What}", what);
                }
                finally
                {
                    Finished();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Finished()
    {
        lock (_queue)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
