using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// Every card the bot can send goes through the official adaptivecards 3.0.6 parser at target
/// version 1.5 (in Node): zero events, and under Teams' 28 KB message limit. The cards are
/// <see cref="CardSamples"/>; <see cref="CardGalleryTests"/> draws the same ones.
/// </summary>
public class CardValidationTests
{
    private const int TeamsMessageLimitBytes = 28 * 1024;

    [Test]
    public async Task Every_card_parses_with_zero_events_in_adaptivecards_at_version_1_5_and_fits_in_a_Teams_message()
    {
        var cards = CardSamples.All().ToList();
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
