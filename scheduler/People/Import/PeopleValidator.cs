using AlignmentBot.Scheduler.Okrs.Import;

namespace AlignmentBot.Scheduler.People.Import;

/// <summary>
/// Checks every row of a people file against the tenant and the rest of the file, and collects every problem with
/// its line — unknown manager, manager loop, bad zone, unknown team or role, a person twice — so one answer lists
/// everything to fix. One pass over the rows plus one over the manager links: linear in the file and the tenant.
/// </summary>
public static class PeopleValidator
{
    public static (PeoplePlan? Plan, IReadOnlyList<ImportProblem> Problems) Check(IReadOnlyList<PersonRow> rows, PeopleDirectory directory)
    {
        var problems = new List<ImportProblem>();
        if (rows.Count == 0)
        {
            problems.Add(new ImportProblem("the file", 0, "There are no people in it."));
            return (null, problems);
        }

        var planned = new List<PlannedPerson>(rows.Count);
        var notYetKnown = new List<int>();
        var seen = new Dictionary<long, int>();
        var wheres = new Dictionary<int, string>();
        foreach (var row in rows)
        {
            wheres[row.Line] = row.Where;
            if (row.FormatProblem is { } format)
            {
                problems.Add(new ImportProblem(row.Where, row.Line, Capitalise(format) + "."));
                continue;
            }

            var reasons = new List<string>();
            long? personId = null;
            if (row.Person is null)
            {
                reasons.Add("the person (email or user id) is missing");
            }
            else if (directory.People.TryGetValue(row.Person.ToLowerInvariant(), out var id))
            {
                personId = id;
                if (!seen.TryAdd(id, row.Line))
                {
                    reasons.Add($"\"{row.Person}\" is already on line {seen[id]}");
                }
            }

            long? managerId = null;
            if (row.Manager is { } manager)
            {
                if (!directory.People.TryGetValue(manager.ToLowerInvariant(), out var found))
                {
                    reasons.Add($"manager \"{manager}\" is not known (they must be in one of the bot's teams, or be named by Microsoft Graph)");
                }
                else if (found == personId)
                {
                    reasons.Add("a person cannot be their own manager");
                }
                else
                {
                    managerId = found;
                }
            }

            string? zone = null;
            if (row.TimeZone is { } given && (zone = Zones.ToIana(given)) is null)
            {
                reasons.Add($"\"{given}\" is not a time zone (use an IANA name like Europe/Berlin or a Windows name like W. Europe Standard Time)");
            }

            var teams = row.Teams is null ? null : new List<(long, string)>();
            foreach (var (team, role) in row.Teams ?? [])
            {
                if (!directory.Teams.TryGetValue(team.ToLowerInvariant(), out var teamId))
                {
                    reasons.Add($"team \"{team}\" is not known (use a team's name or id as the bot knows it)");
                }
                else if (role is not (null or "" or "member" or "manager"))
                {
                    reasons.Add($"role \"{role}\" in team \"{team}\" is neither member nor manager");
                }
                else
                {
                    teams!.Add((teamId, role is "manager" ? "manager" : "member"));
                }
            }

            var leader = YesNo(row.Leader, "leader", reasons);
            var active = YesNo(row.Active, "active", reasons);
            var optedOut = YesNo(row.OptedOut, "opted_out", reasons);
            if (reasons.Count > 0)
            {
                problems.Add(new ImportProblem(row.Where, row.Line, Capitalise(string.Join("; ", reasons)) + "."));
            }
            else if (personId is { } known)
            {
                planned.Add(new PlannedPerson(known, row.Line, row.Manager is not null, managerId, zone, teams, leader, active, optedOut));
            }
            else
            {
                notYetKnown.Add(row.Line);
            }
        }

        problems.AddRange(Loops(planned, directory.Managers, wheres));
        return problems.Count > 0 ? (null, problems) : (new PeoplePlan(planned, notYetKnown), problems);
    }

    /// <summary>Manager links as they would be after the file (the file's over the stored), walked once each: every row on a loop is named.</summary>
    private static IEnumerable<ImportProblem> Loops(IReadOnlyList<PlannedPerson> planned, IReadOnlyDictionary<long, long?> stored, Dictionary<int, string> wheres)
    {
        var managerOf = new Dictionary<long, long?>(stored);
        var lineOf = new Dictionary<long, int>();
        foreach (var person in planned.Where(p => p.ManagerSaid))
        {
            managerOf[person.PersonId] = person.ManagerId;
            lineOf[person.PersonId] = person.Line;
        }

        var done = new HashSet<long>();
        foreach (var start in lineOf.Keys)
        {
            var path = new List<long>();
            var onPath = new Dictionary<long, int>();
            for (long? at = start; at is { } node && !done.Contains(node); at = managerOf.GetValueOrDefault(node))
            {
                if (onPath.TryGetValue(node, out var from))
                {
                    var loop = path.Skip(from).ToList();
                    foreach (var member in loop.Where(lineOf.ContainsKey))
                    {
                        var line = lineOf[member];
                        yield return new ImportProblem(wheres[line], line,
                            $"The managers form a loop ({string.Join(" → ", loop.Append(loop[0]).Select(p => lineOf.TryGetValue(p, out var l) ? $"line {l}" : $"person {p}"))}); someone must be at the top.");
                    }

                    break;
                }

                onPath[node] = path.Count;
                path.Add(node);
            }

            done.UnionWith(path);
        }
    }

    private static bool? YesNo(string? value, string column, List<string> reasons)
    {
        switch (value?.ToLowerInvariant())
        {
            case null:
                return null;
            case "yes" or "true" or "y" or "1":
                return true;
            case "no" or "false" or "n" or "0":
                return false;
            default:
                reasons.Add($"{column} \"{value}\" is neither yes nor no");
                return null;
        }
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
