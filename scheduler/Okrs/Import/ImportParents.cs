namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>The import's line-of-sight check: parents exist, and following them never loops.</summary>
public static class ImportParents
{
    /// <summary>Steps of a parent loop spelled out in its message (a long chain would make every message long).</summary>
    private const int MaxLoopSteps = 10;

    /// <summary>
    /// Every parent must exist (in the file or already imported), and following parents must never loop. Linear: each
    /// objective's verdict is remembered, so a walk stops at the first objective already known to end or to loop.
    /// </summary>
    public static void Check(Dictionary<string, (PlannedObjective Objective, string Where)> objectives, ImportDirectory directory,
        List<ImportProblem> problems, IReadOnlyList<ImportRow> rows, HashSet<string> inFile)
    {
        string? ParentOf(string key) => objectives.TryGetValue(key, out var o) ? o.Objective.ParentKey : directory.ExistingObjectiveParents.GetValueOrDefault(key);

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            lines.TryAdd(row.Where, row.Line);
        }

        // true: following parents ends at a top objective; false: it runs into a loop.
        var ends = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (key, (objective, where)) in objectives)
        {
            if (objective.ParentKey is not { } parent || parent == key)
            {
                continue;
            }

            var line = lines.GetValueOrDefault(where);
            if (!inFile.Contains(parent) && !directory.ExistingObjectiveParents.ContainsKey(parent))
            {
                problems.Add(new ImportProblem(where, line, $"Parent objective \"{parent}\" is neither in the file nor imported before."));
                continue;
            }

            if (!Ends(key, ParentOf, ends))
            {
                var path = new List<string> { key };
                for (var next = ParentOf(key); next is not null && path.Count <= MaxLoopSteps && !path.Contains(next); next = ParentOf(next))
                {
                    path.Add(next);
                }

                problems.Add(new ImportProblem(where, line, $"Objective \"{key}\" and its parents form a loop ({string.Join(" → ", path)} → …); the line of sight must end at a top objective."));
            }
        }
    }

    /// <summary>Whether following parents from <paramref name="key"/> ends; marks every objective on the way.</summary>
    private static bool Ends(string key, Func<string, string?> parentOf, Dictionary<string, bool> ends)
    {
        var path = new List<string>();
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        bool verdict;
        for (string? next = key; ;)
        {
            if (next is null)
            {
                verdict = true;
                break;
            }

            if (ends.TryGetValue(next, out var known))
            {
                verdict = known;
                break;
            }

            if (!onPath.Add(next))
            {
                verdict = false;
                break;
            }

            path.Add(next);
            // An objective naming itself is refused on its own row; here it counts as a top.
            next = parentOf(next) is { } up && up != next ? up : null;
        }

        foreach (var step in path)
        {
            ends[step] = verdict;
        }

        return verdict;
    }
}
