using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Bot.Teams.Turns;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// Every card the bot can send goes through the official adaptivecards 3.0.6 parser at target
/// version 1.5 (in Node): zero events, and under Teams' 28 KB message limit.
/// </summary>
public class CardValidationTests
{
    private const int TeamsMessageLimitBytes = 28 * 1024;

    /// <summary>The cards the bot sends today; each feature adds its own here.</summary>
    private static IEnumerable<(string Name, Card Card)> Cards()
    {
        using var services = new ServiceCollection().AddTurns().BuildServiceProvider();
        yield return ("help", HelpCards.Help(services.GetServices<IBotCommand>()));
        yield return ("welcome", HelpCards.Welcome("Megan Bowen"));
        yield return ("welcome without a name", HelpCards.Welcome(null));
        var run = new PersonRun(12, "Alignment pulse", "open", new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.Zero), 3, "Europe/Berlin",
        [
            new PulseQuestion(1, "likert5", "I know what is expected of me this quarter.", true, null),
            new PulseQuestion(2, "enps", "How likely are you to recommend working here?", true, null),
            new PulseQuestion(3, "choice", "Which goal is least clear?", false, ["Revenue", "Quality", "Hiring"]),
            new PulseQuestion(4, "text", "What is unclear or blocking you right now?", false, null),
        ]);
        yield return ("pulse", PulseCards.Pulse(run, new Dictionary<long, string>(), reason: "Sent because: a test"));
        yield return ("pulse with a problem and answers kept", PulseCards.Pulse(run, new Dictionary<long, string> { [1] = "4", [4] = "more focus" }, "Please answer “How likely…”."));
        yield return ("pulse thanks", PulseCards.Thanks(run));
        yield return ("pulse closed", PulseCards.Closed(run));
        yield return ("pulse not yours", PulseCards.NotYours());
        yield return ("pulse results", ResultsCards.Results("Alignment pulse",
        [
            new GroupResult("Platform", [1], 83.3m,
            [
                new QuestionResult(1, "likert5", "I know what is expected of me this quarter.", 6, 3.83m, new Dictionary<string, int> { ["2"] = 1, ["4"] = 3, ["5"] = 2 }, 83.3m, null, 3.5m, []),
                new QuestionResult(2, "enps", "How likely are you to recommend working here?", 6, 8.2m, new Dictionary<string, int> { ["9"] = 4, ["6"] = 2 }, null, 33.3m, null, []),
                new QuestionResult(3, "text", "What is unclear?", 11, null, new Dictionary<string, int>(), null, null, null, [.. Enumerable.Range(1, 11).Select(i => $"comment {i}")]),
            ], null),
            new GroupResult("Payments", [2], null, [], "Fewer than 5 people answered, so nothing is shown: results for fewer could identify them."),
        ]));
        foreach (var okrCard in OkrCardSamples.All())
        {
            yield return okrCard;
        }

        var chart = new Uri("https://bot.example.test/charts/0123456789abcdef0123456789abcdef.png");
        yield return ("team digest, 40 key results, a chart", DigestCards.Team(DigestSamples.Team("Customer experience", 40), chart, "Sent because: a test"));
        yield return ("team digest, nothing yet, no chart", DigestCards.Team(new TeamDigest(1, "New team", "UTC", DateTimeOffset.UnixEpoch, [], [], []), null, "Sent because: a test"));
        yield return ("team digest, 40 key results, 40 dependencies each way", DigestCards.Team(
            DigestSamples.WithDependencies(DigestSamples.Team("Customer experience", 40), OkrCardSamples.Dependencies(40)), chart, "Sent because: a test"));
        yield return ("roll-up, 20 teams others wait on", RollupCards.Rollup(
            [.. DigestSamples.Organisation(20).Select(t => DigestSamples.WithDependencies(t, OkrCardSamples.Dependencies(10)))], DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: a test"));
        yield return ("roll-up, 3 teams", RollupCards.Rollup(DigestSamples.Organisation(3), DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: a test"));
        yield return ("roll-up, 500 teams", RollupCards.Rollup(DigestSamples.Organisation(500), DateTimeOffset.UnixEpoch, "Europe/Berlin", "Sent because: a test"));
        yield return ("every block kind", new Card("All the parts")
        {
            Subtitle = "subtitle",
            Problem = "Question 2 needs an answer.",
            Reason = "Sent because: a test",
            Body =
            [
                new TextBlock("plain"), new TextBlock("subtle", TextEmphasis.Subtle), new TextBlock("good", TextEmphasis.Good),
                new TextBlock("warning", TextEmphasis.Warning), new TextBlock("attention", TextEmphasis.Attention),
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
        });
    }

    [Test]
    public async Task Every_card_parses_with_zero_events_in_adaptivecards_at_version_1_5_and_fits_in_a_Teams_message()
    {
        var cards = Cards().ToList();
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"cards-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray(cards.Select(c => (JsonNode?)AdaptiveCardRenderer.Render(c.Card)).ToArray()).ToJsonString());

        using var result = await NodeClients.RunJsonAsync("validate-cards.cjs", file);

        var reports = result.RootElement.EnumerateArray().ToList();
        Assert.That(reports, Has.Count.EqualTo(cards.Count));
        Assert.Multiple(() =>
        {
            foreach (var report in reports)
            {
                var name = cards[report.GetProperty("index").GetInt32()].Name;
                Assert.That(report.GetProperty("events").GetArrayLength(), Is.Zero, $"{name}: {report.GetProperty("events")}");
                Assert.That(report.GetProperty("bytes").GetInt32(), Is.LessThan(TeamsMessageLimitBytes), name);
            }
        });
    }

    [Test]
    public async Task The_validator_does_report_a_broken_card_so_a_clean_result_means_something()
    {
        var broken = new JsonArray(new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "NoSuchElement" },
                new JsonObject { ["type"] = "Input.Text", ["id"] = "x", ["isRequired"] = true }),
        });
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, broken.ToJsonString(), Encoding.UTF8);

        using var result = await NodeClients.RunJsonAsync("validate-cards.cjs", file);

        Assert.That(result.RootElement[0].GetProperty("events").GetArrayLength(), Is.GreaterThan(0));
    }
}
