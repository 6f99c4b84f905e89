using System.Collections.Concurrent;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// The claimed rows in memory, one queue per tenant, and the worker tasks sending them. A tenant gets as many
/// workers as its rows and <see cref="PerTenant"/> allow (enough to keep its pace at the measured latency), all
/// tenants together at most <see cref="Total"/>; a tenant that could not get one waits in line for the next free.
/// A worker stops when its tenant's queue is empty, and an empty tenant is forgotten: an instance that drained
/// 10,000 tenants once holds nothing for them afterwards.
/// </summary>
internal sealed class TenantWorkers(Func<ClaimedDelivery, Task> deliver)
{
    private readonly ConcurrentDictionary<long, TenantQueue> _queues = new();
    private readonly ConcurrentQueue<TenantQueue> _starved = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private long _nextWorker;
    private int _workers;
    private int _held;
    private volatile bool _stopping;

    private sealed class TenantQueue(long tenantId)
    {
        public long TenantId { get; } = tenantId;
        public Queue<ClaimedDelivery> Rows { get; } = new();

        /// <summary>Rows queued or being sent.</summary>
        public int Count { get; set; }

        public int Workers { get; set; }
        public bool InLine { get; set; }
        public bool Retired { get; set; }
    }

    /// <summary>Workers one tenant may have.</summary>
    public int PerTenant { get; set; } = 16;

    /// <summary>Workers all tenants together may have.</summary>
    public int Total { get; set; } = 256;

    /// <summary>Rows in memory, queued or being sent.</summary>
    public int Held => Volatile.Read(ref _held);

    public int Workers => Volatile.Read(ref _workers);

    public int Tenants => _queues.Count;

    public long[] BusyTenants() => [.. _queues.Keys];

    /// <summary>Tenants with at least this many rows in memory.</summary>
    public IEnumerable<long> TenantsWithAtLeast(int rows) => _queues.Where(q => q.Value.Count >= rows).Select(q => q.Key);

    public void Add(IEnumerable<ClaimedDelivery> rows)
    {
        var touched = new HashSet<TenantQueue>();
        foreach (var row in rows)
        {
            while (true)
            {
                var queue = _queues.GetOrAdd(row.TenantId, id => new TenantQueue(id));
                lock (queue)
                {
                    if (queue.Retired)
                    {
                        continue;
                    }

                    queue.Rows.Enqueue(row);
                    queue.Count++;
                    Interlocked.Increment(ref _held);
                    touched.Add(queue);
                    break;
                }
            }
        }

        foreach (var queue in touched)
        {
            StartWorkers(queue);
        }
    }

    private void StartWorkers(TenantQueue queue)
    {
        while (true)
        {
            lock (queue)
            {
                // One worker per row queued or being sent, up to the tenant's share.
                if (_stopping || queue.Rows.Count == 0 || queue.Workers >= Math.Min(PerTenant, queue.Count))
                {
                    return;
                }

                if (!TryTakeWorker())
                {
                    if (!queue.InLine)
                    {
                        queue.InLine = true;
                        _starved.Enqueue(queue);
                    }

                    return;
                }

                queue.Workers++;
            }

            Run(queue);
        }
    }

    private bool TryTakeWorker()
    {
        while (true)
        {
            var workers = Volatile.Read(ref _workers);
            if (workers >= Total)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _workers, workers + 1, workers) == workers)
            {
                return true;
            }
        }
    }

    private void Run(TenantQueue queue)
    {
        var id = Interlocked.Increment(ref _nextWorker);
        var done = new TaskCompletionSource();
        _running[id] = done.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                await WorkAsync(queue);
            }
            finally
            {
                _running.TryRemove(id, out _);
                done.SetResult();
            }
        });
    }

    private async Task WorkAsync(TenantQueue queue)
    {
        while (true)
        {
            ClaimedDelivery? row;
            lock (queue)
            {
                if (_stopping || !queue.Rows.TryDequeue(out row))
                {
                    queue.Workers--;
                    if (queue.Workers == 0 && queue.Count == 0)
                    {
                        queue.Retired = true;
                        _queues.TryRemove(new KeyValuePair<long, TenantQueue>(queue.TenantId, queue));
                    }

                    break;
                }
            }

            try
            {
                await deliver(row);
            }
            finally
            {
                lock (queue)
                {
                    queue.Count--;
                }

                Interlocked.Decrement(ref _held);
            }
        }

        HandOver();
    }

    /// <summary>A worker's place goes to the first tenant in line that still wants one, or back to the pool.</summary>
    private void HandOver()
    {
        Interlocked.Decrement(ref _workers);
        while (!_stopping && _starved.TryDequeue(out var next))
        {
            lock (next)
            {
                next.InLine = false;
            }

            StartWorkers(next);
            if (Volatile.Read(ref _workers) >= Total)
            {
                return;
            }
        }
    }

    /// <summary>Stops the workers once their current row is done; returns the rows that were still queued.</summary>
    public List<long> Stop()
    {
        _stopping = true;
        var waiting = new List<long>();
        foreach (var queue in _queues.Values)
        {
            lock (queue)
            {
                while (queue.Rows.TryDequeue(out var row))
                {
                    waiting.Add(row.Id);
                    queue.Count--;
                    Interlocked.Decrement(ref _held);
                }
            }
        }

        return waiting;
    }

    /// <summary>Done when every worker has finished its row (after <see cref="Stop"/>).</summary>
    public Task StoppedAsync() => Task.WhenAll(_running.Values);
}
