using System.Globalization;
using Quartz;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>Every problem with a survey definition, keyed by the field (for RFC 7807 validation problems).</summary>
public static class SurveyValidation
{
    private static readonly string[] Weekdays = Enum.GetNames<DayOfWeek>().Select(d => d.ToLowerInvariant()).ToArray();

    public static Dictionary<string, string[]> Problems(SurveyDefinition s)
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string problem)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(problem);
        }

        if (string.IsNullOrWhiteSpace(s.Tenant))
        {
            Add("tenant", "is required: the tenant's platform id (e.g. the Teams tenant id).");
        }

        if (s.Platform is not ("teams" or "slack"))
        {
            Add("platform", "must be \"teams\" or \"slack\".");
        }

        if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Length > 120)
        {
            Add("name", "is required, at most 120 characters.");
        }

        if (s.Questions.Count is < 1 or > PulseRules.MaxQuestions)
        {
            Add("questions", $"a pulse has 1 to {PulseRules.MaxQuestions} questions (it has {s.Questions.Count}).");
        }

        for (var i = 0; i < s.Questions.Count; i++)
        {
            var q = s.Questions[i];
            var field = $"questions[{i}]";
            if (!QuestionKinds.All.Contains(q.Kind))
            {
                Add($"{field}.kind", $"must be one of {string.Join(", ", QuestionKinds.All)}.");
            }

            if (string.IsNullOrWhiteSpace(q.Prompt) || q.Prompt.Length > 300)
            {
                Add($"{field}.prompt", "is required, at most 300 characters.");
            }

            if (q.Kind == QuestionKinds.Choice && (q.Choices is null || q.Choices.Count is < 2 or > 10 || q.Choices.Any(string.IsNullOrWhiteSpace)))
            {
                Add($"{field}.choices", "a choice question needs 2 to 10 non-empty choices.");
            }

            if (q.Kind != QuestionKinds.Choice && q.Choices is { Count: > 0 })
            {
                Add($"{field}.choices", "only choice questions have choices.");
            }
        }

        if (s.Audience.Count == 0)
        {
            Add("audience", "name at least one team.");
        }

        ValidateCadence(s, Add);
        if (s.AnswerWindowDays is < 1 or > 14)
        {
            Add("answerWindowDays", "must be from 1 to 14 days.");
        }

        if (s.ScoreThreshold < PulseRules.ThresholdFloor || s.ScoreThreshold > 100)
        {
            Add("scoreThreshold", $"must be from {PulseRules.ThresholdFloor} to 100: results for fewer people could identify them.");
        }

        if (s.CommentThreshold < PulseRules.ThresholdFloor || s.CommentThreshold > 100)
        {
            Add("commentThreshold", $"must be from {PulseRules.ThresholdFloor} to 100: comments for fewer people could identify them.");
        }

        if (s.MaxReminders is < 0 or > 3)
        {
            Add("maxReminders", "must be from 0 to 3.");
        }

        return problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void ValidateCadence(SurveyDefinition s, Action<string, string> add)
    {
        if (!Cadences.All.Contains(s.Cadence))
        {
            add("cadence", $"must be one of {string.Join(", ", Cadences.All)}.");
            return;
        }

        if (!TimeOnly.TryParseExact(s.LocalTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            add("localTime", "must be a time of day as HH:mm, e.g. 10:00.");
        }

        switch (s.Cadence)
        {
            case Cadences.Weekly or Cadences.Biweekly when s.Day is null || !Weekdays.Contains(s.Day.ToLowerInvariant()):
                add("day", "must be a weekday, e.g. monday.");
                break;
            case Cadences.Monthly when !int.TryParse(s.Day, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > 28:
                add("day", "must be a day of the month from 1 to 28.");
                break;
            case Cadences.Cron when string.IsNullOrWhiteSpace(s.CronExpression) || !CronExpression.TryParse(s.CronExpression, out _):
                add("cronExpression", "must be a valid Quartz cron expression, e.g. \"0 0 8 ? * MON\".");
                break;
            case Cadences.Cron when !AtMostDaily(s.CronExpression!):
                add("cronExpression", "may open a pulse at most once a day: give the second, minute and hour as single numbers, e.g. \"0 0 8 ? * MON-FRI\".");
                break;
        }
    }

    /// <summary>
    /// One second, one minute and one hour: at most one firing per calendar day, whatever the day fields say. People
    /// asked more often than daily stop answering, and each run is a new chance to tell small groups apart.
    /// </summary>
    private static bool AtMostDaily(string cron) =>
        cron.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 6 } fields
        && fields.Take(3).All(f => f.Length is > 0 and <= 2 && f.All(char.IsAsciiDigit));

    public static TimeOnly ParseLocalTime(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);

    public static DayOfWeek ParseWeekday(string value) => Enum.Parse<DayOfWeek>(value, ignoreCase: true);
}
