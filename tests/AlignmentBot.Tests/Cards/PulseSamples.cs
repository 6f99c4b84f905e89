using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Tests.Cards;

/// <summary>The pulse card in its states and the results card, from nothing to show to the most a card holds.</summary>
public static class PulseSamples
{
    private static readonly DateTimeOffset ClosesAt = new(2026, 11, 5, 9, 0, 0, TimeSpan.Zero);

    public static PersonRun Run(int commentThreshold = 10) => new(12, "Alignment pulse", "open", ClosesAt, 3, "Europe/Berlin",
    [
        new PulseQuestion(1, "likert5", "I know what is expected of me this quarter.", true, null),
        new PulseQuestion(2, "enps", "How likely are you to recommend working here?", true, null),
        new PulseQuestion(3, "choice", "Which goal is least clear?", false, ["Revenue", "Quality", "Hiring"]),
        new PulseQuestion(4, "text", "What is unclear or blocking you right now?", false, null),
    ], commentThreshold);

    /// <summary>Five questions (the most a survey has) with long prompts and choices.</summary>
    private static PersonRun Longest() => new(13, "Quarterly alignment and engagement pulse for the customer experience organisation", "open", ClosesAt, 3, "Pacific/Kiritimati",
    [
        new PulseQuestion(1, "likert5", "I understand how the goals of my team contribute to the company's goals for this quarter and the year.", true, null),
        new PulseQuestion(2, "likert5", "I have the information, tools and decisions I need from other teams to make progress on my key results.", true, null),
        new PulseQuestion(3, "enps", "How likely are you to recommend working in this organisation to a friend who does similar work?", true, null),
        new PulseQuestion(4, "choice", "Which of the company's goals for this quarter is the least clear to you?",
            true, ["Grow revenue from mid-market customers", "Reduce the time to resolve a customer's ticket", "Hire and onboard the new regional teams"]),
        new PulseQuestion(5, "text", "What is unclear, or what is blocking you right now? Anything you would like your manager to know?", false, null),
    ], 12);

    public static IEnumerable<(string Name, Card Card)> All()
    {
        var run = Run();
        yield return ("pulse", PulseCards.Pulse(run, new Dictionary<long, string>(), reason: $"Sent because: you are in the audience of “{run.SurveyName}”, at your local pulse time."));
        yield return ("pulse: five long questions", PulseCards.Pulse(Longest(), new Dictionary<long, string>(), reason: "Sent because: you have not answered it yet (reminder 1 of 2; it closes Thu 5 Nov, 23:00). Nobody is told who has answered."));
        yield return ("pulse refused, answers kept", PulseCards.Pulse(run, new Dictionary<long, string> { [1] = "4", [4] = "more focus" }, "Please answer “How likely are you to recommend working here?”."));
        yield return ("pulse thanks", PulseCards.Thanks(run));
        yield return ("pulse answered one tap at a time, comment still open", PulseCards.Answered(run, new Dictionary<long, string> { [1] = "4", [2] = "9" }));
        yield return ("pulse edited, comment given", PulseCards.Pulse(run, new Dictionary<long, string> { [1] = "4", [2] = "9", [4] = "more focus" }));
        yield return ("pulse closed", PulseCards.Closed(run));
        yield return ("pulse not yours", PulseCards.NotYours());
        yield return ("results: typical, one team under the threshold", ResultsCards.Results("Alignment pulse",
        [
            Platform(),
            new GroupResult("Payments", [2], null, [], "Fewer than 5 people answered, so nothing is shown: results for fewer could identify them."),
        ]));
        yield return ("results: under the threshold", ResultsCards.Results("Alignment pulse",
            [new GroupResult("Payments", [2], null, [], "Fewer than 5 people answered, so nothing is shown: results for fewer could identify them.")]));
        yield return ("results: three teams and all of them, comments", ResultsCards.Results("Quarterly alignment and engagement pulse for the customer experience organisation",
        [
            Platform(), Platform() with { Group = "Customer support, Europe, Middle East and Africa" }, Platform() with { Group = "Sales" },
            new GroupResult("All your teams", [1, 2, 3], 81.9m, [.. Platform().Questions.Select(q => q with { Comments = [.. Enumerable.Range(1, 14).Select(i => Comment(i))] })], null),
        ]));
    }

    private static GroupResult Platform() => new("Platform", [1], 83.3m,
    [
        new QuestionResult(1, "likert5", "I know what is expected of me this quarter.", 6, 3.83m, new Dictionary<string, int> { ["2"] = 1, ["4"] = 3, ["5"] = 2 }, 83.3m, null, 3.5m, []),
        new QuestionResult(2, "enps", "How likely are you to recommend working here?", 6, 8.2m, new Dictionary<string, int> { ["9"] = 4, ["6"] = 1, ["3"] = 1 }, null, 33.3m, null, []),
        new QuestionResult(3, "choice", "Which goal is least clear?", 6, null, new Dictionary<string, int> { ["Revenue"] = 1, ["Quality"] = 4, ["Hiring"] = 1 }, null, null, null, []),
        new QuestionResult(4, "text", "What is unclear or blocking you right now?", 11, null, new Dictionary<string, int>(), null, null, null, [.. Enumerable.Range(1, 11).Select(i => Comment(i))]),
    ], null);

    private static string Comment(int i) => (i % 3) switch
    {
        0 => "Priorities change every sprint; I would like to know which of the two launches comes first.",
        1 => $"More time with the product team, please ({i}).",
        _ => "Nothing blocking.",
    };
}
