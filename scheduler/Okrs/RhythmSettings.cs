using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignmentBot.Scheduler.Okrs;

/// <summary>
/// A tenant's check-in rhythm (<c>tenants.settings.rhythm</c>); each value has the product default when unset.
/// Working hours are on working days (Mon–Fri) in each recipient's own time zone.
/// </summary>
public sealed record RhythmSettings
{
    public int GraceDays { get; init; } = 1;
    /// <summary>Step 2: the second reminder to the owner, this many working days after step 1.</summary>
    public int SecondReminderAfterWorkingDays { get; init; } = 2;
    /// <summary>Step 3: the manager's consolidated message, this many working days after step 2.</summary>
    public int ManagerAfterWorkingDays { get; init; } = 1;
    /// <summary>At most this many nudges to one person in any 7 days; the rest are folded into their next one.</summary>
    public int WeeklyCap { get; init; } = 5;
    public string WorkdayStart { get; init; } = "09:00";
    public string WorkdayEnd { get; init; } = "17:00";

    public static readonly RhythmSettings Default = new();

    [JsonIgnore]
    public TimeOnly Start => TimeOnly.ParseExact(WorkdayStart, "HH:mm", CultureInfo.InvariantCulture);

    [JsonIgnore]
    public TimeOnly End => TimeOnly.ParseExact(WorkdayEnd, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The settings stored for a tenant (missing values take the defaults).</summary>
    public static RhythmSettings FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? Default : JsonSerializer.Deserialize<RhythmSettings>(json, JsonSerializerOptions.Web) ?? Default;

    /// <summary>Every problem, by field; empty when the settings can be used.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        void Range(string field, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                problems[field] = [$"Must be from {min} to {max}; it is {value}."];
            }
        }

        Range("graceDays", GraceDays, 0, 14);
        Range("secondReminderAfterWorkingDays", SecondReminderAfterWorkingDays, 1, 10);
        Range("managerAfterWorkingDays", ManagerAfterWorkingDays, 1, 10);
        Range("weeklyCap", WeeklyCap, 1, 20);
        var start = TimeOnly.TryParseExact(WorkdayStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s);
        var end = TimeOnly.TryParseExact(WorkdayEnd, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e);
        if (!start)
        {
            problems["workdayStart"] = [$"\"{WorkdayStart}\" is not a time of day like 09:00."];
        }

        if (!end)
        {
            problems["workdayEnd"] = [$"\"{WorkdayEnd}\" is not a time of day like 17:00."];
        }
        else if (start && e <= s)
        {
            problems["workdayEnd"] = [$"The working day must end after it starts ({WorkdayStart})."];
        }

        return problems;
    }
}
