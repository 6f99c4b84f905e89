using System.Globalization;
using System.Text.Json;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// The JSON import: <c>{"objectives": [{"key", "title", "team", "parent", "cycle", "keyResults": [{"key", "title", "owner",
/// "start", "target", "current", "unit", "direction", "confidence", "cadenceDays", "startsOn", "dueOn", "dependsOn"}]}]}</c>.
/// Read into the same rows as the CSV, so both are checked by one set of rules.
/// </summary>
public static class JsonImportReader
{
    public static IReadOnlyList<ImportRow> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("objectives", out var objectives) || objectives.ValueKind != JsonValueKind.Array)
        {
            throw new ImportFormatException("Send an object with an \"objectives\" array.");
        }

        var rows = new List<ImportRow>();
        var index = 0;
        foreach (var objective in objectives.EnumerateArray())
        {
            var where = $"objectives[{index}]";
            if (objective.ValueKind != JsonValueKind.Object)
            {
                rows.Add(new ImportRow(where, 0) { FormatProblem = "it is not an object" });
                index++;
                continue;
            }

            var baseRow = new ImportRow(where, 0)
            {
                ObjectiveKey = Text(objective, "key"), Objective = Text(objective, "title"), Team = Text(objective, "team"),
                ParentObjectiveKey = Text(objective, "parent"), Cycle = Text(objective, "cycle"),
            };
            var keyResults = objective.TryGetProperty("keyResults", out var krs) && krs.ValueKind == JsonValueKind.Array ? krs.EnumerateArray().ToArray() : [];
            if (keyResults.Length == 0)
            {
                rows.Add(baseRow);
            }

            for (var k = 0; k < keyResults.Length; k++)
            {
                var kr = keyResults[k];
                rows.Add(baseRow with
                {
                    Where = $"{where}.keyResults[{k}]",
                    KeyResultKey = Text(kr, "key"), KeyResult = Text(kr, "title"), Owner = Text(kr, "owner"),
                    Start = Text(kr, "start"), Target = Text(kr, "target"), Current = Text(kr, "current"), Unit = Text(kr, "unit"),
                    Direction = Text(kr, "direction"), Confidence = Text(kr, "confidence"), CadenceDays = Text(kr, "cadenceDays"),
                    StartsOn = Text(kr, "startsOn"), DueOn = Text(kr, "dueOn"), DependsOn = DependsOn(kr, out var dependsOnProblem),
                    FormatProblem = kr.ValueKind == JsonValueKind.Object ? dependsOnProblem : "it is not an object",
                });
            }

            index++;
        }

        return rows;
    }

    /// <summary>
    /// <c>"dependsOn"</c>: keys, or objects <c>{"key", "neededBy", "note"}</c>; absent means the file says nothing about
    /// the key result's dependencies, an empty array means it has none.
    /// </summary>
    private static List<DependencyEntry>? DependsOn(JsonElement kr, out string? problem)
    {
        problem = null;
        if (kr.ValueKind != JsonValueKind.Object || !kr.TryGetProperty("dependsOn", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problem = "dependsOn must be an array of key-result keys";
            return null;
        }

        var entries = new List<DependencyEntry>();
        foreach (var item in list.EnumerateArray())
        {
            var key = item.ValueKind == JsonValueKind.String ? item.GetString()?.Trim() : Text(item, "key");
            if (string.IsNullOrEmpty(key))
            {
                problem = "each dependsOn entry must be a key-result key or an object with a \"key\"";
                return null;
            }

            entries.Add(new DependencyEntry(key, Text(item, "neededBy"), Text(item, "note")));
        }

        return entries;
    }

    /// <summary>A property as text: strings as they are, numbers as written (so "12.50" and 12.50 read alike).</summary>
    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s.Trim() : null,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText().ToString(CultureInfo.InvariantCulture),
            }
            : null;
}
