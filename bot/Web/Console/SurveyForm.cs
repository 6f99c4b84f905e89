using System.Globalization;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Scheduler.Tenants;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// The survey page's form, as posted: text as typed (numbers too, so a wrong one is shown back and judged by the API's
/// <see cref="SurveyValidation"/>, not by the form binder), a check box per team, and <see cref="SurveyDefinition.Questions"/>
/// as a fixed number of rows (an empty row is no question). Booleans default to false: an unticked box is not posted.
/// </summary>
public sealed class SurveyForm
{
    public string Name { get; set; } = "";
    /// <summary>Null when no box was ticked (the binder sets nothing).</summary>
    public Dictionary<long, bool>? Audience { get; set; } = [];
    public string Cadence { get; set; } = Cadences.Biweekly;
    public string? Day { get; set; }
    public string LocalTime { get; set; } = "";
    public string? CronExpression { get; set; }
    public string AnswerWindowDays { get; set; } = "";
    public bool Anonymous { get; set; }
    public string ScoreThreshold { get; set; } = "";
    public string CommentThreshold { get; set; } = "";
    public string MaxReminders { get; set; } = "";
    public bool Enabled { get; set; }
    public List<QuestionRow>? Questions { get; set; } = [];

    /// <summary>One question row; <see cref="Choices"/> one per line.</summary>
    public sealed class QuestionRow
    {
        public string Kind { get; set; } = "";
        public string Prompt { get; set; } = "";
        public string? Driver { get; set; }
        public bool Required { get; set; }
        public string? Choices { get; set; }

        public bool IsEmpty => Kind.Length == 0 && string.IsNullOrWhiteSpace(Prompt);
    }

    public static SurveyForm From(SurveyDefinition survey) => new SurveyForm
    {
        Name = survey.Name,
        Audience = survey.Audience.ToDictionary(id => id, _ => true),
        Cadence = survey.Cadence,
        Day = survey.Day,
        LocalTime = survey.LocalTime,
        CronExpression = survey.CronExpression,
        AnswerWindowDays = Text(survey.AnswerWindowDays),
        Anonymous = survey.Anonymous,
        ScoreThreshold = Text(survey.ScoreThreshold),
        CommentThreshold = Text(survey.CommentThreshold),
        MaxReminders = Text(survey.MaxReminders),
        Enabled = survey.Enabled,
        Questions = [.. survey.Questions.Select(q => new QuestionRow
        {
            Kind = q.Kind, Prompt = q.Prompt, Driver = q.Driver, Required = q.Required, Choices = q.Choices is null ? null : string.Join('\n', q.Choices),
        })],
    }.Padded();

    /// <summary>Rows up to <see cref="PulseRules.MaxQuestions"/>, so the page always offers room for every question a pulse may have.</summary>
    public SurveyForm Padded()
    {
        Questions ??= [];
        while (Questions.Count < PulseRules.MaxQuestions)
        {
            Questions.Add(new QuestionRow { Required = true });
        }

        return this;
    }

    /// <summary>
    /// The survey the API would have been sent, for the admin's own tenant, and which form row each of its questions
    /// came from (the validator names questions by their place in the survey).
    /// </summary>
    public (SurveyDefinition Survey, int[] Rows) ToDefinition(TenantAddress tenant)
    {
        var rows = (Questions ?? []).Select((q, i) => (q, i)).Where(x => !x.q.IsEmpty).ToArray();
        var survey = new SurveyDefinition
        {
            Platform = tenant.Platform,
            Tenant = tenant.ExternalId,
            Name = Name.Trim(),
            Questions = [.. rows.Select(x => new SurveyQuestion(x.q.Kind, x.q.Prompt.Trim(), x.q.Driver?.Trim() ?? "", x.q.Required,
                x.q.Choices?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } choices ? choices : null))],
            Audience = [.. (Audience ?? []).Where(a => a.Value).Select(a => a.Key).Order()],
            Cadence = Cadence,
            Day = string.IsNullOrWhiteSpace(Day) ? null : Day.Trim(),
            LocalTime = LocalTime.Trim(),
            CronExpression = string.IsNullOrWhiteSpace(CronExpression) ? null : CronExpression.Trim(),
            AnswerWindowDays = Number(AnswerWindowDays),
            Anonymous = Anonymous,
            ScoreThreshold = Number(ScoreThreshold),
            CommentThreshold = Number(CommentThreshold),
            MaxReminders = Number(MaxReminders),
            Enabled = Enabled,
        };
        return (survey, [.. rows.Select(x => x.i)]);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Not a whole number: a value every range check refuses, so the validator's own message is shown for the field.
    private static int Number(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : int.MinValue;
}
