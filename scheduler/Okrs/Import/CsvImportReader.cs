namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// The CSV import: a header row naming the columns (any order, case-insensitive), then one row per key result.
/// A row with the key-result columns empty defines an objective alone (e.g. a company objective others serve).
/// </summary>
public static class CsvImportReader
{
    public static readonly IReadOnlyList<string> Required = ["objective_key", "objective", "cycle"];

    public static readonly IReadOnlyList<string> Optional =
        ["team", "parent_objective_key", "key_result_key", "key_result", "owner", "start", "target", "current", "unit", "direction", "confidence", "cadence_days", "starts_on", "due_on",
         "depends_on", "needed_by", "dependency_note"];

    public static IReadOnlyList<ImportRow> Read(string text)
    {
        var records = CsvTable.Parse(text);
        if (records.Count == 0)
        {
            throw new ImportFormatException("The file is empty: the first line must name the columns, e.g. " + string.Join(",", Required) + ",key_result_key,key_result,owner,start,target.");
        }

        var header = records[0].Fields.Select(f => f.ToLowerInvariant()).ToArray();
        var missing = Required.Where(c => !header.Contains(c)).ToArray();
        var unknown = header.Where(c => !Required.Contains(c) && !Optional.Contains(c)).ToArray();
        if (missing.Length > 0 || unknown.Length > 0)
        {
            var problems = new List<string>();
            if (missing.Length > 0)
            {
                problems.Add($"missing column{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}");
            }

            if (unknown.Length > 0)
            {
                problems.Add($"unknown column{(unknown.Length == 1 ? "" : "s")} {string.Join(", ", unknown)} (known: {string.Join(", ", Required.Concat(Optional))})");
            }

            throw new ImportFormatException($"Line 1 (the header): {string.Join("; ", problems)}.");
        }

        var rows = new List<ImportRow>();
        foreach (var record in records.Skip(1))
        {
            string? Get(string column)
            {
                var index = Array.IndexOf(header, column);
                return index >= 0 && index < record.Fields.Count && record.Fields[index].Length > 0 ? record.Fields[index] : null;
            }

            if (record.Fields.Count != header.Length)
            {
                rows.Add(new ImportRow($"line {record.Line}", record.Line)
                {
                    FormatProblem = $"it has {record.Fields.Count} fields where the header names {header.Length} columns (a comma in a value needs the value in double quotes)",
                });
                continue;
            }

            rows.Add(new ImportRow($"line {record.Line}", record.Line)
            {
                ObjectiveKey = Get("objective_key"), Objective = Get("objective"), Team = Get("team"),
                ParentObjectiveKey = Get("parent_objective_key"), Cycle = Get("cycle"),
                KeyResultKey = Get("key_result_key"), KeyResult = Get("key_result"), Owner = Get("owner"),
                Start = Get("start"), Target = Get("target"), Current = Get("current"), Unit = Get("unit"),
                Direction = Get("direction"), Confidence = Get("confidence"), CadenceDays = Get("cadence_days"),
                StartsOn = Get("starts_on"), DueOn = Get("due_on"),
                DependsOn = DependsOn(header, Get("depends_on"), Get("needed_by"), Get("dependency_note")),
            });
        }

        return rows;
    }

    /// <summary>
    /// <c>depends_on</c>: key-result keys separated by semicolons, each needed by the row's <c>needed_by</c>, with its
    /// <c>dependency_note</c>. Without the column the file says nothing about dependencies; an empty cell says "none".
    /// </summary>
    private static List<DependencyEntry>? DependsOn(string[] header, string? keys, string? neededBy, string? note) =>
        !header.Contains("depends_on") ? null
        : [.. (keys ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => new DependencyEntry(k, neededBy, note))];
}
