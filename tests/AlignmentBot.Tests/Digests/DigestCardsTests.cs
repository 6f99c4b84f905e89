using System.Text;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Digests;

namespace AlignmentBot.Tests.Digests;

/// <summary>Cards summarise instead of truncating: whatever the size of the team or organisation, one message says it all.</summary>
public class DigestCardsTests
{
    private const int TeamsMessageLimitBytes = 28 * 1024;

    private static int Bytes(Card card) => Encoding.UTF8.GetByteCount(AdaptiveCardRenderer.Render(card).ToJsonString());

    [Test]
    public void Forty_key_results_show_the_eight_needing_most_attention_and_count_the_rest_by_health()
    {
        var digest = DigestSamples.Team("Customer experience", 40);

        var card = DigestCards.Team(digest, new Uri("https://bot.example.test/c.png"), "Sent because: a test");

        var bars = card.Body.OfType<Progress>().ToList();
        Assert.That(bars, Has.Count.EqualTo(DigestCards.Shown));
        Assert.That(bars.Select(b => b.Caption), Has.All.Contain("stale"), "stale key results come first (8 of the 40 are stale)");
        var rest = card.Body.OfType<TextBlock>().Single(t => t.Text.StartsWith("And 32 more:", StringComparison.Ordinal)).Text;
        Assert.That(rest, Is.EqualTo("And 32 more: 8 on track, 8 at risk, 8 off track, 8 no confidence yet."));
        Assert.That(Bytes(card), Is.LessThan(TeamsMessageLimitBytes / 2), "room to spare under 28 KB");
    }

    [Test]
    public void The_chart_is_described_in_words_because_an_image_may_not_load()
    {
        var digest = DigestSamples.Team("Customer experience", 3);

        var card = DigestCards.Team(digest, new Uri("https://bot.example.test/c.png"), "Sent because: a test");

        var image = card.Body.OfType<Image>().Single();
        Assert.That(image.AltText, Does.StartWith("Trend over the last 8 pulse runs, oldest first — alignment score: hidden, 3.60, 3.70, hidden,"));
        Assert.That(card.Body.OfType<TextBlock>().Select(t => t.Text), Does.Contain(image.AltText), "the same words are on the card");
    }

    [Test]
    public void A_roll_up_of_500_teams_lists_the_flagged_ones_first_and_counts_the_rest()
    {
        var teams = DigestSamples.Organisation(500);

        var card = RollupCards.Rollup(teams, DateTimeOffset.UnixEpoch, "UTC", "Sent because: a test");

        var headings = card.Body.OfType<TextBlock>().Where(t => t.Emphasis == TextEmphasis.Heading).ToList();
        Assert.That(headings, Has.Count.EqualTo(RollupCards.Lines));
        Assert.That(card.Body.OfType<TextBlock>().Select(t => t.Text), Has.Some.StartsWith("And 480 more teams"));
        Assert.That(Bytes(card), Is.LessThan(TeamsMessageLimitBytes));
    }
}
