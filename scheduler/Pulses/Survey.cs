namespace AlignmentBot.Scheduler.Pulses;

/// <summary>Question kinds: 5-point agreement, eNPS 0–10, one of several choices, free text.</summary>
public static class QuestionKinds
{
    public const string Likert5 = "likert5";
    public const string Enps = "enps";
    public const string Choice = "choice";
    public const string Text = "text";

    public static readonly IReadOnlyList<string> All = [Likert5, Enps, Choice, Text];
}

/// <summary>When a survey opens a run: weekly/biweekly on a weekday, monthly on a day, or a Quartz cron expression.</summary>
public static class Cadences
{
    public const string Weekly = "weekly";
    public const string Biweekly = "biweekly";
    public const string Monthly = "monthly";
    public const string Cron = "cron";

    public static readonly IReadOnlyList<string> All = [Weekly, Biweekly, Monthly, Cron];
}

public sealed record SurveyQuestion(string Kind, string Prompt, string Driver = "", bool Required = true, IReadOnlyList<string>? Choices = null);

/// <summary>
/// A pulse survey as the admin API takes and returns it. <see cref="Day"/>: weekday for weekly/biweekly
/// ("monday"), day of month for monthly ("1".."28"). <see cref="LocalTime"/>: when people get it, in their time.
/// </summary>
public sealed record SurveyDefinition
{
    public long? Id { get; init; }
    /// <summary>The tenant's platform: "teams" (the default) or "slack"; with <see cref="Tenant"/> it names the tenant.</summary>
    public string Platform { get; init; } = "teams";
    public string Tenant { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<SurveyQuestion> Questions { get; init; } = [];
    public IReadOnlyList<long> Audience { get; init; } = [];
    public string Cadence { get; init; } = Cadences.Biweekly;
    public string? Day { get; init; } = "monday";
    public string LocalTime { get; init; } = "10:00";
    public string? CronExpression { get; init; }
    public int AnswerWindowDays { get; init; } = 3;
    public bool Anonymous { get; init; } = true;
    public int ScoreThreshold { get; init; } = PulseRules.DefaultScoreThreshold;
    public int CommentThreshold { get; init; } = PulseRules.DefaultCommentThreshold;
    public int MaxReminders { get; init; } = 2;
    public bool Enabled { get; init; } = true;
}

/// <summary>The product's anonymity rules (DESIGN.md): configurable thresholds that never go below the floor.</summary>
public static class PulseRules
{
    public const int DefaultScoreThreshold = 5;
    public const int DefaultCommentThreshold = 10;
    public const int ThresholdFloor = 3;
    public const int MaxQuestions = 5;
}
