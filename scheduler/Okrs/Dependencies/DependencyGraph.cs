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

    /// <summary>
    /// Every key result that lies on some loop, with the loop's component (key results that can all reach each other
    /// share one). Tarjan's strongly connected components, iterative: linear in key results plus dependencies, so a
    /// file of thousands cannot make the check quadratic (asking <see cref="LoopThrough"/> for each would be).
    /// </summary>
    public IReadOnlyDictionary<TKey, int> LoopComponents()
    {
        var index = new Dictionary<TKey, (int Index, int Low)>(_waitsFor.Comparer);
        var onStack = new HashSet<TKey>(_waitsFor.Comparer);
        var stack = new Stack<TKey>();
        var result = new Dictionary<TKey, int>(_waitsFor.Comparer);
        var component = 0;
        foreach (var root in _waitsFor.Keys)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(TKey Node, IEnumerator<TKey> Next)>();
            Visit(root);
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var to = next.Current;
                    if (!index.TryGetValue(to, out var seen))
                    {
                        Visit(to);
                    }
                    else if (onStack.Contains(to))
                    {
                        index[node] = (index[node].Index, Math.Min(index[node].Low, seen.Index));
                    }

                    continue;
                }

                work.Pop();
                next.Dispose();
                var (nodeIndex, low) = index[node];
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    index[parent] = (index[parent].Index, Math.Min(index[parent].Low, low));
                }

                if (low == nodeIndex)
                {
                    var members = new List<TKey>();
                    TKey member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        members.Add(member);
                    }
                    while (!_waitsFor.Comparer.Equals(member, node));

                    if (members.Count > 1 || (_waitsFor.TryGetValue(node, out var own) && own.Contains(node)))
                    {
                        foreach (var m in members)
                        {
                            result[m] = component;
                        }
                    }

                    component++;
                }
            }

            void Visit(TKey node)
            {
                index[node] = (index.Count, index.Count);
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, (_waitsFor.GetValueOrDefault(node) ?? []).GetEnumerator()));
            }
        }

        return result;
    }
}
