using System.Text.Json;
using AlignmentBot.Scheduler.Okrs.Import;

namespace AlignmentBot.Scheduler.People.Import;

/// <summary>
/// The people file, as CSV (header <c>person,manager,time_zone,teams,leader,active,opted_out</c>; only <c>person</c> is
/// required, columns in any order) or JSON (<c>{"people": [{"person", "manager", "timeZone", "teams": [{"team", "role"}],
/// "leader", "active", "optedOut"}]}</c>). Both become the same rows, checked by one set of rules.
/// </summary>
public static class PeopleFileReader
{
    private static readonly string[] Columns = ["person", "manager", "time_zone", "teams", "leader", "active", "opted_out"];

    public static IReadOnlyList<PersonRow> ReadCsv(string text, int maxRows)
    {
        var records = CsvTable.Parse(text);
        if (records.Count == 0)
        {
            throw new ImportFormatException("The file is empty; the first line must name the columns (person,manager,time_zone,teams,leader,active,opted_out).");
        }

        var header = records[0].Fields.Select(f => f.ToLowerInvariant().Replace(' ', '_')).ToArray();
        if (!header.Contains("person"))
        {
            throw new ImportFormatException($"The first line must name the columns, with at least \"person\"; it reads \"{string.Join(",", records[0].Fields)}\".");
        }

        if (header.FirstOrDefault(h => !Columns.Contains(h)) is { } unknown)
        {
            throw new ImportFormatException($"Unknown column \"{unknown}\"; the columns are {string.Join(", ", Columns)}.");
        }

        CheckCount(records.Count - 1, maxRows);
        var rows = new List<PersonRow>(records.Count - 1);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Length)
            {
                rows.Add(new PersonRow($"line {record.Line}", record.Line)
                {
                    FormatProblem = $"it has {record.Fields.Count} fields where the header names {header.Length} columns (a comma in a value needs the value in double quotes)",
                });
                continue;
            }

            string? Cell(string column) => Array.IndexOf(header, column) is var i and >= 0 && record.Fields[i].Length > 0 ? record.Fields[i] : null;
            rows.Add(new PersonRow($"line {record.Line}", record.Line)
            {
                Person = Cell("person"), Manager = Cell("manager"), TimeZone = Cell("time_zone"), Teams = PersonRow.ParseTeams(Cell("teams")),
                Leader = Cell("leader"), Active = Cell("active"), OptedOut = Cell("opted_out"),
            });
        }

        return rows;
    }

    public static IReadOnlyList<PersonRow> ReadJson(JsonElement root, int maxRows)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("people", out var people) || people.ValueKind != JsonValueKind.Array)
        {
            throw new ImportFormatException("Send an object with a \"people\" array.");
        }

        CheckCount(people.GetArrayLength(), maxRows);
        var rows = new List<PersonRow>();
        var index = 0;
        foreach (var person in people.EnumerateArray())
        {
            // The line a person sees is the item's position, counting from 1 like the CSV's data rows.
            var row = new PersonRow($"people[{index}]", index + 1);
            index++;
            if (person.ValueKind != JsonValueKind.Object)
            {
                rows.Add(row with { FormatProblem = "it is not an object" });
                continue;
            }

            var teams = person.TryGetProperty("teams", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? (e.GetString() ?? "", null) : (Text(e, "team") ?? "", Text(e, "role")?.ToLowerInvariant())).ToList()
                : null;
            rows.Add(row with
            {
                Person = Text(person, "person"), Manager = Text(person, "manager"), TimeZone = Text(person, "timeZone"), Teams = teams,
                Leader = Text(person, "leader"), Active = Text(person, "active"), OptedOut = Text(person, "optedOut"),
            });
        }

        return rows;
    }

    private static void CheckCount(int rows, int maxRows)
    {
        if (rows > maxRows)
        {
            throw new ImportFormatException($"The file has {rows} people; at most {maxRows} are taken in one file (split it, or raise People:MaxImportRows).");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s.Trim() : null,
                JsonValueKind.True => "yes",
                JsonValueKind.False => "no",
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
