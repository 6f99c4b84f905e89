using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// What respondents write reaches managers as plain text (an attacker's link or markup stays inert), and what the bot
/// writes reaches readers as written: Teams drops anything shaped like an HTML tag from card text.
/// </summary>
public class PlainTextTests
{
    private const string Hostile = "[Reset your password](https://evil.example/login) **now** <img src=x> <b>urgent</b>";

    [Test]
    public void A_comment_with_a_link_and_markup_is_a_text_run_shown_as_written()
    {
        var card = ResultsCards.Results("Alignment pulse",
        [
            new GroupResult("Platform", [1], 90m,
                [new QuestionResult(4, "text", "What is blocking you?", 10, null, new Dictionary<string, int>(), null, null, null, [Hostile])], null),
        ]);

        var json = AdaptiveCardRenderer.Render(card);

        Assert.That(TextBlocks(json), Has.None.Contains("evil.example"), "never inside a TextBlock, whose text Teams reads as markdown");
        Assert.That(TextRuns(json).Select(Visible), Has.Member($"“{Hostile}”"), "a TextRun is never read as markdown: it shows exactly what was written");
    }

    [Test]
    public void A_blocker_is_a_text_run_shown_to_the_manager_as_written()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var kr = new KeyResultView(1, "Ship **v2**", "Grow", null, 1, "Platform", 2, "Ana", "UTC", null, 0, 100, 40, "%", 6, 7, null,
            now.UtcDateTime.AddDays(-2), now.UtcDateTime.AddDays(-1), null, "UTC", Hostile);

        var team = AdaptiveCardRenderer.Render(TeamCards.Team([(kr, true)], viewerId: 99, now));
        var nudge = AdaptiveCardRenderer.Render(TeamCards.ManagerNudge("Platform", [kr], new HashSet<long>(), now, "Sent because: a test"));

        foreach (var json in new[] { team, nudge })
        {
            Assert.That(TextBlocks(json), Has.None.Contains("evil.example").And.None.Contains("**v2**"));
            Assert.That(string.Concat(TextRuns(json).Select(Visible)), Does.Contain("Ship **v2**").And.Contain("blocker: " + Hostile));
        }
    }

    [Test]
    public void The_help_cards_digest_team_reaches_the_reader_as_written()
    {
        // The real command's description; its collaborators are not needed to describe it.
        var digest = new DigestCommand(null!, null!, null!, TimeProvider.System);
        Assert.That(digest.Description, Does.Contain("<team>"), "the help text this test is about");

        var json = AdaptiveCardRenderer.Render(HelpCards.Help([digest]));

        var texts = AllTexts(json).ToList();
        Assert.That(texts.Select(Visible), Has.Some.Contains("digest <team>"), "every character is still there");
        Assert.That(texts, Has.None.Match("<[A-Za-z/!?]"), "nothing left that a client would take for an HTML tag and drop");
    }

    [Test]
    public void A_long_unbroken_word_in_peoples_text_gets_places_to_wrap_and_still_reads_as_written()
    {
        var word = new string('b', 100);
        var card = new Card("Blockers") { Body = [new PlainText([new Run("blocker: " + word)])] };

        var runs = TextRuns(AdaptiveCardRenderer.Render(card)).ToList();

        Assert.That(runs.Select(Visible), Is.EqualTo(new[] { "blocker: " + word }), "nothing a reader sees is changed");
        Assert.That(runs[0].Split(' ', '\u200B').Max(part => part.Length), Is.LessThanOrEqualTo(24),
            "a RichTextBlock's run wraps only at a break: without one it runs out of the chat column");
    }

    [TestCase("a < b and c > d", "a < b and c > d")]
    [TestCase("x<y", "x<\u2060y")]
    [TestCase("</div>", "<\u2060/div>")]
    [TestCase("<", "<")]
    public void Only_what_looks_like_a_tag_is_changed(string text, string expected) =>
        Assert.That(AdaptiveCardRenderer.NoTags(text), Is.EqualTo(expected));

    // What a reader sees: the word joiner and the zero-width space are invisible.
    private static string Visible(string text) => text.Replace("\u2060", "", StringComparison.Ordinal).Replace("\u200B", "", StringComparison.Ordinal);

    private static IEnumerable<string> TextBlocks(JsonNode json) =>
        Walk(json).Where(n => (string?)n["type"] == "TextBlock").Select(n => (string)n["text"]!);

    private static IEnumerable<string> TextRuns(JsonNode json) =>
        Walk(json).Where(n => (string?)n["type"] == "TextRun").Select(n => (string)n["text"]!);

    private static IEnumerable<string> AllTexts(JsonNode json) =>
        Walk(json).SelectMany(n => new[] { n["text"], n["title"], n["value"] }).OfType<JsonValue>().Select(v => v.GetValue<string>());

    private static IEnumerable<JsonObject> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var child in o.SelectMany(p => Walk(p.Value)))
                {
                    yield return child;
                }

                break;
            case JsonArray a:
                foreach (var child in a.SelectMany(Walk))
                {
                    yield return child;
                }

                break;
        }
    }
}
