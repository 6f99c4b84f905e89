using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// Every card the bot can send, built by the real card builders with realistic data: empty, typical, the longest
/// that still fits, a refused input, results under the threshold. The parser check and the gallery both use it, so a
/// new card added here is validated and drawn. Each feature adds its own.
/// </summary>
public static class CardSamples
{
    public static readonly Uri InternetChart = new("https://bot.example.test/charts/0123456789abcdef0123456789abcdef.png");

    /// <param name="chart">The digest chart's address (the gallery passes a local picture so it shows).</param>
    public static IEnumerable<(string Name, Card Card)> All(Uri? chart = null)
    {
        chart ??= InternetChart;
        using (var services = new ServiceCollection().AddTurns().BuildServiceProvider())
        {
            yield return ("help", HelpCards.Help(services.GetServices<IBotCommand>()));
        }

        yield return ("welcome", HelpCards.Welcome("Megan Bowen"));
        yield return ("welcome without a name", HelpCards.Welcome(null));
        foreach (var pulse in PulseSamples.All())
        {
            yield return pulse;
        }

        foreach (var okrCard in OkrCardSamples.All())
        {
            yield return okrCard;
        }

        yield return ("digest: typical team, chart", DigestCards.Team(DigestSamples.Team("Customer experience", 5), chart, "Sent because: this channel gets Customer experience's weekly digest on Mondays at 09:00."));
        yield return ("digest: 40 key results, chart", DigestCards.Team(DigestSamples.Team("Customer experience", 40), chart, "Sent because: this channel gets Customer experience's weekly digest on Mondays at 09:00."));
        yield return ("digest: new team, nothing yet", DigestCards.Team(new TeamDigest(1, "New team", "UTC", DateTimeOffset.UnixEpoch, [], [], []), null, "Sent because: a test"));
        yield return ("digest: 40 key results, 40 dependencies each way", DigestCards.Team(
            DigestSamples.WithDependencies(DigestSamples.Team("Customer experience", 40), OkrCardSamples.Dependencies(40)), chart, "Sent because: this channel gets Customer experience's weekly digest on Mondays at 09:00."));
        yield return ("roll-up: 20 teams others wait on", RollupCards.Rollup(
            [.. DigestSamples.Organisation(20).Select(t => DigestSamples.WithDependencies(t, OkrCardSamples.Dependencies(10)))], DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: you are one of the tenant's leaders."));
        yield return ("roll-up: 3 teams", RollupCards.Rollup(DigestSamples.Organisation(3), DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: you are one of the tenant's leaders."));
        yield return ("roll-up: 500 teams", RollupCards.Rollup(DigestSamples.Organisation(500), DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: you are one of the tenant's leaders."));
        yield return ("notice", Notice());
        yield return ("every block kind", EveryBlock());
    }

    private static Card Notice()
    {
        using var payload = System.Text.Json.JsonDocument.Parse("""
            {"title": "Pulse schedule changed", "text": "The alignment pulse now goes out every other Thursday at 10:00 your time.", "reason": "Sent because: your admin changed a survey you answer."}
            """);
        return new NoticeKind().RenderAsync(payload.RootElement, null, CancellationToken.None).Result!.Card!;
    }

    private static Card EveryBlock() => new("All the parts")
    {
        Subtitle = "subtitle",
        Problem = "Question 2 needs an answer.",
        Reason = "Sent because: a test",
        Body =
        [
            new TextBlock("plain"), new TextBlock("subtle", TextEmphasis.Subtle), new TextBlock("good", TextEmphasis.Good),
            new TextBlock("warning", TextEmphasis.Warning), new TextBlock("attention", TextEmphasis.Attention), new TextBlock("strong", TextEmphasis.Strong),
            new FactList([new Fact("a", "b")]),
            new Progress("Revenue", 0.42, "42 of 100 k€"),
            new Buttons([new CardAction("Check in", "x.open") { SubmitsInputs = false }]),
            new Image(new Uri("https://bot.example.com/charts/abc.png"), "Alignment score 3.9 → 4.1"),
            new ChoiceQuestion("likert", "I know what is expected of me", [new Choice("Strongly disagree", "1"), new Choice("Strongly agree", "5")]) { Value = "5" },
            new ChoiceQuestion("compact", "Pick one", [new Choice("A", "a")]) { Expanded = false, Required = false },
            new NumberQuestion("value", "New value") { Min = 0, Max = 100, Value = 42, Placeholder = "0–100" },
            new TextQuestion("comment", "Anything else?") { Multiline = true, MaxLength = 500, Placeholder = "optional" },
        ],
        Actions =
        [
            new CardAction("Submit", "x.submit") { Style = ActionStyle.Primary, Data = new Dictionary<string, string> { ["run"] = "1" } },
            new CardAction("Snooze", "x.snooze") { SubmitsInputs = false },
            new CardAction("Stop", "x.stop") { Style = ActionStyle.Destructive },
        ],
    };
}
