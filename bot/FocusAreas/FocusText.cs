using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.FocusAreas;

namespace AlignmentBot.Bot.FocusAreas;

/// <summary>
/// "You said …, we are doing …" in one wording for the digest, the pulse card and the dashboard. "You said" quotes
/// the team's aggregate (the driver's score as it was shown), never anyone's answer; the plan is shown as written,
/// never read as markup.
/// </summary>
public static class FocusText
{
    public static readonly IReadOnlyList<Choice> FollowupChoices = [new("Yes", "yes"), new("Somewhat", "somewhat"), new("No", "no")];

    /// <summary>"“clarity” scored 2.40 of 5 (40 % favourable) in “Alignment pulse”".</summary>
    public static string Result(string driver, decimal mean, decimal? favourable, string survey) => string.Create(CultureInfo.InvariantCulture,
        $"“{driver}” scored {mean:0.00} of 5{(favourable is { } f ? string.Create(CultureInfo.InvariantCulture, $" ({f:0.#} % favourable)") : "")} in “{survey}”");

    public static PlainText YouSaid(string driver, decimal mean, decimal? favourable, string survey, string plan) => new(
    [
        new Run("You said: ", Bold: true), new Run(Result(driver, mean, favourable, survey) + ". "),
        new Run("We are doing: ", Bold: true), new Run(plan),
    ]);

    public static string Question(string driver) => $"Did what we are doing about “{driver}” help? (optional)";

    /// <summary>"Did it help? Yes 4 · Somewhat 2 · No 1 (7 answers)", or why it is not shown.</summary>
    public static string Followup(FocusFollowupResult result) => result.HiddenBecause ?? string.Create(CultureInfo.InvariantCulture,
        $"Did it help? Yes {result.Yes} · Somewhat {result.Somewhat} · No {result.No} ({result.Answers} answers).");
}
