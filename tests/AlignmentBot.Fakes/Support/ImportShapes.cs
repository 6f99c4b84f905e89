using System.Globalization;
using AlignmentBot.Scheduler.Okrs.Import;

namespace AlignmentBot.Tests.Support;

/// <summary>
/// OKR import files shaped to be the worst case for a quadratic check, shared by the import tests and
/// scripts/bench/import.sh: every objective serves the next (a line of sight n deep, closed into a loop at its end),
/// and every key result waits for the next (a dependency chain n long, closed into one loop of n).
/// </summary>
public static class ImportShapes
{
    public static readonly ImportDirectory Directory = new(
        new Dictionary<string, long[]> { ["platform"] = [1] },
        new Dictionary<string, long[]> { ["29:ana"] = [1] },
        new Dictionary<string, string?>());

    /// <param name="rows">How many rows (one objective and one key result each).</param>
    /// <param name="closed">Whether the last objective serves the first and the last key result waits for the first.</param>
    public static IReadOnlyList<ImportRow> Chain(int rows, bool closed)
    {
        string Objective(int i) => string.Create(CultureInfo.InvariantCulture, $"O-{i}");
        string KeyResult(int i) => string.Create(CultureInfo.InvariantCulture, $"KR-{i}");
        return [.. Enumerable.Range(0, rows).Select(i => new ImportRow(string.Create(CultureInfo.InvariantCulture, $"line {i + 2}"), i + 2)
        {
            ObjectiveKey = Objective(i),
            Objective = "Objective " + Objective(i),
            Team = "Platform",
            ParentObjectiveKey = i + 1 < rows ? Objective(i + 1) : closed ? Objective(0) : null,
            Cycle = "2027-Q4",
            KeyResultKey = KeyResult(i),
            KeyResult = "Key result " + KeyResult(i),
            Owner = "29:ana",
            Start = "0",
            Target = "100",
            DependsOn = i + 1 < rows ? [new DependencyEntry(KeyResult(i + 1), null, null)] : closed ? [new DependencyEntry(KeyResult(0), null, null)] : [],
        })];
    }
}
