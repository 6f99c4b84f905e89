using System.Globalization;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// Checks the file's dependencies (<c>depends_on</c> / <c>dependsOn</c>): every key waited for exists (in the file or
/// imported before), nothing waits for itself, and nothing loops — counting the dependencies already stored, with the
/// file's replacing those of the key results it gives them for. A loop is named on every row of the file it passes.
/// </summary>
public static class ImportDependencies
{
    /// <summary>Rows whose loop is spelled out in full; a search each, so a bounded few.</summary>
    public const int MaxNamedLoops = 20;

    public const int MaxNote = 300;

    public static (IReadOnlyList<string> Of, IReadOnlyList<PlannedDependency> Dependencies) Check(
        IReadOnlyList<ImportRow> rows, ImportDirectory directory, List<ImportProblem> problems)
    {
        var inFile = rows.Where(r => r.HasKeyResult && r.KeyResultKey is not null).Select(r => r.KeyResultKey!).ToHashSet(StringComparer.Ordinal);
        var giving = rows.Where(r => r.FormatProblem is null && r.KeyResultKey is not null && r.DependsOn is not null).ToList();
        var planned = new List<PlannedDependency>();
        foreach (var row in giving)
        {
            var reasons = new List<string>();
            foreach (var entry in row.DependsOn!.DistinctBy(e => e.Key, StringComparer.Ordinal))
            {
                if (entry.Key == row.KeyResultKey)
                {
                    reasons.Add($"\"{entry.Key}\" cannot depend on itself");
                    continue;
                }

                if (!inFile.Contains(entry.Key) && !directory.ExistingKeyResults.Contains(entry.Key))
                {
                    reasons.Add($"depends on \"{entry.Key}\", which is no key result (neither in the file nor imported before)");
                    continue;
                }

                DateOnly? neededBy = null;
                if (entry.NeededBy is { } text)
                {
                    if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        neededBy = date;
                    }
                    else
                    {
                        reasons.Add($"needed_by \"{text}\" is not a date like 2026-12-31");
                    }
                }

                if (entry.Note is { Length: > MaxNote })
                {
                    reasons.Add($"the dependency note is longer than {MaxNote} characters");
                }

                planned.Add(new PlannedDependency(row.KeyResultKey!, entry.Key, neededBy, entry.Note));
            }

            if (reasons.Count > 0)
            {
                problems.Add(new ImportProblem(row.Where, row.Line, char.ToUpperInvariant(reasons[0][0]) + string.Join("; ", reasons)[1..] + "."));
            }
        }

        var of = giving.Select(r => r.KeyResultKey!).Distinct(StringComparer.Ordinal).ToList();
        var replaced = of.ToHashSet(StringComparer.Ordinal);
        var graph = new DependencyGraph<string>(StringComparer.Ordinal);
        foreach (var (from, to) in directory.ExistingDependencies.Where(d => !replaced.Contains(d.From)))
        {
            graph.Add(from, to);
        }

        foreach (var dependency in planned)
        {
            graph.Add(dependency.From, dependency.To);
        }

        // Which rows are on a loop comes from one linear pass; the shortest loop is spelled out for the first few rows
        // only (each is a search of its own), the others point at the first row of their loop.
        var loops = graph.LoopComponents();
        var firstLine = new Dictionary<int, int>();
        var named = 0;
        foreach (var row in giving.Where(r => r.DependsOn!.Count > 0))
        {
            if (!loops.TryGetValue(row.KeyResultKey!, out var component))
            {
                continue;
            }

            if (named < MaxNamedLoops && graph.LoopThrough(row.KeyResultKey!) is { } loop)
            {
                named++;
                firstLine.TryAdd(component, row.Line);
                problems.Add(new ImportProblem(row.Where, row.Line,
                    $"Its dependencies make a loop: {Spelled(loop)}. Key results cannot wait for each other in a circle; remove one of these dependencies."));
            }
            else
            {
                var with = firstLine.TryGetValue(component, out var line) ? $"the loop named on line {line}" : "a loop";
                firstLine.TryAdd(component, row.Line);
                problems.Add(new ImportProblem(row.Where, row.Line,
                    $"Its dependencies are part of {with}. Key results cannot wait for each other in a circle; remove one of these dependencies."));
            }
        }

        return (of, planned);
    }

    /// <summary>A loop's path, cut short when long (a loop through thousands of key results would make a message as long).</summary>
    private static string Spelled(IReadOnlyList<string> loop) =>
        loop.Count <= MaxSpelledSteps ? string.Join(" → ", loop) : $"{string.Join(" → ", loop.Take(MaxSpelledSteps))} → … ({loop.Count - 1} key results in all)";

    private const int MaxSpelledSteps = 12;
}
