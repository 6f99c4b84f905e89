using System.Globalization;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// Checks every row against the rules and the tenant's directory, collecting every problem (a file is fixed in one
/// pass, not one error at a time). Returns a plan only when there is no problem at all: an import is all or nothing.
/// </summary>
public static class ImportValidator
{
    public const int MaxTitle = 300;
    public const int MaxCadenceDays = 92;

    /// <summary>Rows one import takes (a company's plan is a few thousand); the admin API refuses a longer file up front.</summary>
    public const int MaxRows = 10_000;

    public static (ImportPlan? Plan, IReadOnlyList<ImportProblem> Problems) Check(IReadOnlyList<ImportRow> rows, ImportDirectory directory)
    {
        var problems = new List<ImportProblem>();
        var objectives = new Dictionary<string, (PlannedObjective Objective, string Where)>(StringComparer.Ordinal);
        var keyResults = new Dictionary<string, PlannedKeyResult>(StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            problems.Add(new ImportProblem("the file", 0, "There are no rows to import."));
        }

        foreach (var row in rows)
        {
            var reasons = new List<string>();
            if (row.FormatProblem is { } format)
            {
                problems.Add(new ImportProblem(row.Where, row.Line, format));
                continue;
            }

            var objective = CheckObjective(row, directory, reasons);
            if (objective is not null)
            {
                if (objectives.TryGetValue(objective.Key, out var earlier) && earlier.Objective != objective)
                {
                    reasons.Add($"objective \"{objective.Key}\" is described differently on {earlier.Where} (title, team, parent and cycle must match on every row)");
                }
                else
                {
                    objectives.TryAdd(objective.Key, (objective, row.Where));
                }
            }

            if (row.HasKeyResult && CheckKeyResult(row, directory, reasons) is { } keyResult)
            {
                if (!keyResults.TryAdd(keyResult.Key, keyResult))
                {
                    reasons.Add($"key result \"{keyResult.Key}\" appears twice in the file");
                }
            }

            if (reasons.Count > 0)
            {
                problems.Add(new ImportProblem(row.Where, row.Line, Capitalise(string.Join("; ", reasons)) + "."));
            }
        }

        ImportParents.Check(objectives, directory, problems, rows, [.. rows.Select(r => r.ObjectiveKey).OfType<string>()]);
        var (dependenciesOf, dependencies) = ImportDependencies.Check(rows, directory, problems);
        return problems.Count > 0
            ? (null, [.. problems.OrderBy(p => p.Line).ThenBy(p => p.Where, StringComparer.Ordinal)])
            : (new ImportPlan([.. objectives.Values.Select(o => o.Objective)], [.. keyResults.Values]) { DependenciesOf = dependenciesOf, Dependencies = dependencies }, []);
    }

    private static PlannedObjective? CheckObjective(ImportRow row, ImportDirectory directory, List<string> reasons)
    {
        var count = reasons.Count;
        Required(row.ObjectiveKey, "objective_key", reasons);
        Required(row.Objective, "objective (its title)", reasons);
        Required(row.Cycle, "cycle (e.g. 2026-Q4)", reasons);
        Length(row.Objective, "objective", reasons);
        if (row.Cycle is { Length: > 20 })
        {
            reasons.Add("cycle is longer than 20 characters");
        }

        long? teamId = null;
        if (row.Team is { } team)
        {
            switch (directory.Teams.GetValueOrDefault(team.ToLowerInvariant()))
            {
                case null or []:
                    reasons.Add($"no team \"{team}\" (give the team's name or platform id; the app must be installed in it)");
                    break;
                case [var id]:
                    teamId = id;
                    break;
                default:
                    reasons.Add($"several teams are called \"{team}\"; give its platform id instead");
                    break;
            }
        }

        if (row.ParentObjectiveKey is { } parent && parent == row.ObjectiveKey)
        {
            reasons.Add("an objective cannot serve itself (parent_objective_key is its own key)");
        }

        return reasons.Count == count ? new PlannedObjective(row.ObjectiveKey!, row.Objective!, teamId, row.ParentObjectiveKey, row.Cycle!) : null;
    }

    private static PlannedKeyResult? CheckKeyResult(ImportRow row, ImportDirectory directory, List<string> reasons)
    {
        var count = reasons.Count;
        Required(row.KeyResultKey, "key_result_key", reasons);
        Required(row.KeyResult, "key_result (its title)", reasons);
        Length(row.KeyResult, "key_result", reasons);
        long owner = 0;
        if (row.Owner is null)
        {
            reasons.Add("owner is missing (a platform user id or an e-mail in the roster)");
        }
        else
        {
            switch (directory.People.GetValueOrDefault(row.Owner.ToLowerInvariant()))
            {
                case null or []:
                    reasons.Add($"owner \"{row.Owner}\" is not in the roster (by platform id or e-mail)");
                    break;
                case [var id]:
                    owner = id;
                    break;
                default:
                    reasons.Add($"owner \"{row.Owner}\" fits several people; give their platform id");
                    break;
            }
        }

        var start = Number(row.Start, "start", reasons, required: true);
        var target = Number(row.Target, "target", reasons, required: true);
        var current = Number(row.Current, "current", reasons, required: false);
        if (start is { } s && target is { } t && s == t)
        {
            reasons.Add("start and target are the same, so progress cannot be measured");
        }

        var direction = row.Direction?.ToLowerInvariant();
        if (direction is not (null or "increase" or "decrease"))
        {
            reasons.Add($"direction \"{row.Direction}\" is neither increase nor decrease");
        }
        else if (start is { } s2 && target is { } t2 && s2 != t2)
        {
            var implied = t2 > s2 ? "increase" : "decrease";
            if (direction is not null && direction != implied)
            {
                reasons.Add($"direction is {direction} but the target ({t2.ToString(CultureInfo.InvariantCulture)}) is {(implied == "increase" ? "above" : "below")} the start ({s2.ToString(CultureInfo.InvariantCulture)})");
            }

            direction = implied;
        }

        var confidence = Integer(row.Confidence, "confidence", 0, 10, reasons);
        var cadence = Integer(row.CadenceDays, "cadence_days", 1, MaxCadenceDays, reasons) ?? 7;
        var startsOn = Date(row.StartsOn, "starts_on", reasons);
        var dueOn = Date(row.DueOn, "due_on", reasons);
        if (startsOn is { } from && dueOn is { } to && to <= from)
        {
            reasons.Add("due_on must come after starts_on");
        }

        if (row.Unit is { Length: > 20 })
        {
            reasons.Add("unit is longer than 20 characters");
        }

        return reasons.Count == count && row.ObjectiveKey is { } objectiveKey
            ? new PlannedKeyResult(row.KeyResultKey!, objectiveKey, row.KeyResult!, owner, start!.Value, target!.Value, current, row.Unit ?? "",
                direction!, confidence, cadence, startsOn, dueOn)
            : null;
    }

    private static void Required(string? value, string field, List<string> reasons)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            reasons.Add($"{field} is missing");
        }
    }

    private static void Length(string? value, string field, List<string> reasons)
    {
        if (value is { Length: > MaxTitle })
        {
            reasons.Add($"{field} is longer than {MaxTitle} characters");
        }
    }

    private static decimal? Number(string? text, string field, List<string> reasons, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                reasons.Add($"{field} is missing");
            }

            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= 1_000_000_000_000m)
        {
            return value;
        }

        reasons.Add($"{field} \"{text}\" is not a number (use digits and a dot, e.g. 12.5)");
        return null;
    }

    private static int? Integer(string? text, string field, int min, int max, List<string> reasons)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        reasons.Add($"{field} \"{text}\" must be a whole number from {min} to {max}");
        return null;
    }

    private static DateOnly? Date(string? text, string field, List<string> reasons)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        reasons.Add($"{field} \"{text}\" is not a date like 2026-12-31");
        return null;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
