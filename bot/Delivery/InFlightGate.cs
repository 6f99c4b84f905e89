namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// The sends of this instance between "request sent" and "outcome recorded" — the only ones a crash can send
/// twice. Its limit moves (the dispatcher sizes it from the measured latency and the rate its tenants may use);
/// <see cref="Count"/> is the exact crash bound at any instant, and <see cref="Peak"/> the highest it has been.
/// Waiters are let in first come, first served.
/// </summary>
public sealed class InFlightGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private int _count;
    private int _limit;
    private int _peak;

    public InFlightGate(int limit) => _limit = Math.Max(1, limit);

    public int Count { get { lock (_lock) { return _count; } } }

    public int Limit { get { lock (_lock) { return _limit; } } }

    public int Peak { get { lock (_lock) { return _peak; } } }

    public int Waiting { get { lock (_lock) { return _waiting.Count; } } }

    /// <summary>A new limit: raised, waiters go in at once; lowered, calls under way finish and no more start until below it.</summary>
    public void SetLimit(int limit)
    {
        var admitted = new List<TaskCompletionSource>();
        lock (_lock)
        {
            _limit = Math.Max(1, limit);
            while (_count < _limit && _waiting.TryDequeue(out var next))
            {
                if (!next.Task.IsCompleted)
                {
                    Enter();
                    admitted.Add(next);
                }
            }
        }

        Admit(admitted);
    }

    public Task WaitAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_count < _limit && _waiting.Count == 0)
            {
                Enter();
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }

        if (ct.CanBeCanceled)
        {
            // A cancelled waiter stays queued, completed; whoever dequeues it skips it.
            var registration = ct.Register(() => waiter.TrySetCanceled(ct));
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    public void Release()
    {
        var admitted = new List<TaskCompletionSource>();
        lock (_lock)
        {
            _count--;
            while (_count < _limit && _waiting.TryDequeue(out var next))
            {
                if (!next.Task.IsCompleted)
                {
                    Enter();
                    admitted.Add(next);
                }
            }
        }

        Admit(admitted);
    }

    private void Enter()
    {
        _count++;
        _peak = Math.Max(_peak, _count);
    }

    /// <summary>Outside the lock; one cancelled between dequeueing and here gives its place back.</summary>
    private void Admit(List<TaskCompletionSource> admitted)
    {
        foreach (var waiter in admitted)
        {
            if (!waiter.TrySetResult())
            {
                Release();
            }
        }
    }
}
