namespace AlignmentBot.Scheduler.Okrs.Dependencies;

/// <summary>
/// Key results and what each waits for, to find loops before they are written (the import and chat refuse a loop
/// with the path it would make; the database's trigger is only the floor under them).
/// </summary>
public sealed class DependencyGraph<TKey>(IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<TKey>> _waitsFor = new(comparer);

    public void Set(TKey keyResult, IEnumerable<TKey> waitsFor) => _waitsFor[keyResult] = new HashSet<TKey>(waitsFor, _waitsFor.Comparer);

    public void Add(TKey keyResult, TKey waitsFor)
    {
        if (!_waitsFor.TryGetValue(keyResult, out var set))
        {
            _waitsFor[keyResult] = set = new HashSet<TKey>(_waitsFor.Comparer);
        }

        set.Add(waitsFor);
    }

    /// <summary>
    /// The loop through <paramref name="keyResult"/>, as the path from it back to itself (e.g. A → B → C → A), or null.
    /// Breadth first, so the shortest loop is the one named.
    /// </summary>
    public IReadOnlyList<TKey>? LoopThrough(TKey keyResult)
    {
        var cameFrom = new Dictionary<TKey, TKey>(_waitsFor.Comparer);
        var queue = new Queue<TKey>();
        foreach (var next in _waitsFor.GetValueOrDefault(keyResult) ?? [])
        {
            if (cameFrom.TryAdd(next, keyResult))
            {
                queue.Enqueue(next);
            }
        }

        while (queue.Count > 0)
        {
            var at = queue.Dequeue();
            if (_waitsFor.Comparer.Equals(at, keyResult))
            {
                var path = new List<TKey> { keyResult };
                for (var step = cameFrom[keyResult]; !_waitsFor.Comparer.Equals(step, keyResult); step = cameFrom[step])
                {
                    path.Add(step);
                }

                path.Add(keyResult);
                path.Reverse(1, path.Count - 2);
                return path;
            }

            foreach (var next in _waitsFor.GetValueOrDefault(at) ?? [])
            {
                if (cameFrom.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
