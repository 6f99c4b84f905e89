using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.FocusAreas;
using AlignmentBot.Scheduler.Calendar;

namespace AlignmentBot.Bot.Pulses;

/// <summary>The pulse card (all questions in one card), its "thanks" and "closed" states.</summary>
public static class PulseCards
{
    public const string SubmitVerb = "pulse.submit";
    public const string EditVerb = "pulse.edit";
    public const string AnswerVerb = "pulse.answer";
    public const string RunKey = "runId";
    public const string QuestionKey = "question";

    /// <summary>The likert scale's words for 1 to 5, as the pulse asks and the results count them.</summary>
    public static readonly IReadOnlyList<string> LikertLabels = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];

    public static string InputId(long questionId) => $"q{questionId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The close time in the person's own zone, e.g. "Thu 5 Nov, 10:00".</summary>
    public static string LocalClose(PersonRun run)
    {
        var zone = WorkingTime.Zone(run.TimeZone, TimeZoneInfo.Utc);
        return TimeZoneInfo.ConvertTime(run.ClosesAt, zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
    }

    public static Card Pulse(PersonRun run, IReadOnlyDictionary<long, string> values, string? problem = null, string? reason = null) => new(run.SurveyName)
    {
        Subtitle = $"Anonymous: your manager sees only team results, never your answers. Open until {LocalClose(run)}.",
        Problem = problem,
        Reason = reason,
        Body = [.. FocusCardBlocks.AboveQuestions(run), .. run.Questions.Select(q => Question(run, q, values.GetValueOrDefault(q.Id))), .. FocusCardBlocks.Followup(run)],
        Actions = [new CardAction("Submit", SubmitVerb) { Style = ActionStyle.Primary, Data = RunData(run) }],
    };

    /// <summary>Where comments go, with the survey's own threshold: "when at least 10 people have commented".</summary>
    public static string CommentPlaceholder(int commentThreshold) =>
        $"Your manager sees comments only with the others', never with your name, and only when at least {commentThreshold} people have commented.";

    private static CardBlock Question(PersonRun run, PulseQuestion q, string? value) => q.Kind switch
    {
        "likert5" => new ChoiceQuestion(InputId(q.Id), q.Prompt, [.. LikertLabels.Select((label, i) => new Choice(label, (i + 1).ToString(CultureInfo.InvariantCulture)))])
        { Required = q.Required, Value = value, ErrorMessage = "Pick one of the five answers.", AnswerAlone = AnswerAlone(run, q, "Answer") },
        "enps" => new ChoiceQuestion(InputId(q.Id), $"{q.Prompt} (0 = not at all likely, 10 = extremely likely)",
            [.. Enumerable.Range(0, 11).Select(i => new Choice(i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)))])
        { Required = q.Required, Value = value, Expanded = false, ErrorMessage = "Pick a number from 0 to 10.", AnswerAlone = AnswerAlone(run, q, "Answer") },
        "choice" => new ChoiceQuestion(InputId(q.Id), q.Prompt, [.. (q.Choices ?? []).Select(c => new Choice(c, c))])
        { Required = q.Required, Value = value, ErrorMessage = "Pick one.", AnswerAlone = AnswerAlone(run, q, "Answer") },
        _ => new TextQuestion(InputId(q.Id), q.Prompt + (q.Required ? "" : " (optional)"))
        {
            Required = q.Required, Multiline = true, MaxLength = PulseAnswers.MaxTextLength, Value = value, Placeholder = CommentPlaceholder(run.CommentThreshold),
            AnswerAlone = AnswerAlone(run, q, value is { Length: > 0 } ? "Change your comment" : "Add a comment"),
        },
    };

    /// <summary>One question answered by itself (a tap in Slack; a comment in its own dialog): the run and the question, never the person.</summary>
    private static CardAction AnswerAlone(PersonRun run, PulseQuestion q, string title) => new(title, AnswerVerb)
    {
        Data = new Dictionary<string, string> { [RunKey] = run.RunId.ToString(CultureInfo.InvariantCulture), [QuestionKey] = q.Id.ToString(CultureInfo.InvariantCulture) },
        SubmitsInputs = false,
    };

    /// <summary>
    /// After an answer given on its own, once every required question has one: recorded, with the questions still open
    /// to answer (an optional comment) and the way back to change the rest. The answers themselves are not repeated.
    /// </summary>
    public static Card Answered(PersonRun run, IReadOnlyDictionary<long, string> values) => new("Thanks — recorded.")
    {
        Body =
        [
            new TextBlock($"You can change your answers until {LocalClose(run)} (your time)."),
            .. run.Questions.Where(q => !values.ContainsKey(q.Id)).Select(q => Question(run, q, null)),
        ],
        Actions = [new CardAction("Edit my answers", EditVerb) { Data = RunData(run), SubmitsInputs = false }],
    };

    public static Card Thanks(PersonRun run) => new("Thanks — recorded.")
    {
        Body = [new TextBlock($"You can change your answers until {LocalClose(run)} (your time).")],
        Actions = [new CardAction("Edit my answers", EditVerb) { Data = RunData(run), SubmitsInputs = false }],
    };

    public static Card Closed(PersonRun run) => new($"{run.SurveyName} is closed")
    {
        Body = [new TextBlock($"This pulse closed on {LocalClose(run)}; answers can no longer be given or changed. Results are shared with your team when enough people answered.")],
    };

    public static Card NotYours() => new("This pulse is not yours to answer")
    {
        Body = [new TextBlock("It was sent to someone else, or it no longer exists. Type `pulse` to see your own open pulse.")],
    };

    private static Dictionary<string, string> RunData(PersonRun run) => new() { [RunKey] = run.RunId.ToString(CultureInfo.InvariantCulture) };
}
