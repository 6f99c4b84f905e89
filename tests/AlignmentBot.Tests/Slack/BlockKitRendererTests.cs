using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Tests.Cards;

namespace AlignmentBot.Tests.Slack;

/// <summary>Every card the bot can send, as Block Kit, within Slack's limits; markup in people's words stays text.</summary>
public class BlockKitRendererTests
{
    private static IEnumerable<JsonNode> All(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.Where(c => c is not null))
        {
            foreach (var descendant in All(child!))
            {
                yield return descendant;
            }
        }
    }

    [Test]
    public void Every_sample_card_stays_within_slacks_limits()
    {
        foreach (var (name, card) in CardSamples.All())
        {
            var message = BlockKitRenderer.Message(card);
            var blocks = (JsonArray)message["blocks"]!;
            var objects = All(message).OfType<JsonObject>().ToList();
            Assert.Multiple(() =>
            {
                Assert.That((string?)message["text"], Is.Not.Empty, $"{name}: a text fallback");
                Assert.That(blocks, Has.Count.InRange(1, BlockKitRenderer.MaxBlocks), name);
                Assert.That(objects.Where(o => (string?)o["type"] is "mrkdwn" or "plain_text").Select(o => ((string?)o["text"])!.Length),
                    Has.All.LessThanOrEqualTo(BlockKitRenderer.MaxText), $"{name}: texts");
                Assert.That(objects.Where(o => (string?)o["type"] == "button").Select(o => ((string?)o["value"])!.Length),
                    Has.All.LessThanOrEqualTo(BlockKitRenderer.MaxValue), $"{name}: button values");
                Assert.That(objects.Where(o => (string?)o["type"] == "actions").Select(o => ((JsonArray)o["elements"]!).Count),
                    Has.All.LessThanOrEqualTo(BlockKitRenderer.MaxElements), $"{name}: elements per actions block");
                Assert.That(objects.Where(o => (string?)o["type"] == "header").Select(o => ((string?)o["text"]!["text"])!.Length),
                    Has.All.LessThanOrEqualTo(BlockKitRenderer.MaxHeader), $"{name}: header");
            });
        }
    }

    [Test]
    public void Every_modal_a_sample_card_opens_stays_within_slacks_limits()
    {
        var modals = 0;
        foreach (var (name, card) in CardSamples.All())
        {
            var buttons = All(BlockKitRenderer.Message(card)).OfType<JsonObject>().Where(o => (string?)o["type"] == "button");
            foreach (var button in buttons)
            {
                using var value = System.Text.Json.JsonDocument.Parse((string)button["value"]!);
                if (BlockKitForms.ModalFor(value.RootElement, "D0ALICE", "1700000000.000100") is not { } view)
                {
                    continue;
                }

                modals++;
                Assert.Multiple(() =>
                {
                    Assert.That(((string?)view["title"]!["text"])!.Length, Is.InRange(1, BlockKitForms.MaxModalTitle), $"{name}: title");
                    Assert.That(((string?)view["submit"]!["text"])!.Length, Is.InRange(1, BlockKitForms.MaxModalTitle), $"{name}: submit");
                    Assert.That(((string?)view["private_metadata"])!.Length, Is.LessThanOrEqualTo(BlockKitForms.MaxPrivateMetadata), $"{name}: private_metadata");
                    Assert.That((JsonArray)view["blocks"]!, Has.Count.InRange(1, BlockKitForms.MaxModalBlocks), $"{name}: blocks");
                    Assert.That(((JsonArray)view["blocks"]!).Count(b => (string?)b!["type"] == "input"), Is.GreaterThan(0), $"{name}: inputs");
                });
            }
        }

        Assert.That(modals, Is.GreaterThan(3), "the check-in and comment modals are among the samples");
    }

    [Test]
    public void A_long_comment_is_left_out_of_the_button_rather_than_overflowing_slacks_2000_characters()
    {
        var card = new Card("Check in")
        {
            Body = [new TextQuestion("blocker", "Blocker") { Multiline = true, Value = new string('“', 1900) }, new Buttons([new CardAction("Check in", "x.submit")])],
        };

        var button = All(BlockKitRenderer.Message(card)).OfType<JsonObject>().Single(o => (string?)o["type"] == "button");

        Assert.That(((string?)button["value"])!.Length, Is.LessThanOrEqualTo(BlockKitRenderer.MaxValue));
        Assert.That((string?)button["value"], Does.Contain("\"_form\"").And.Not.Contain("““"));
    }

    [Test]
    public void A_card_with_more_blocks_than_slack_takes_is_folded_keeping_its_buttons_and_reason()
    {
        var card = new Card("Many")
        {
            Body = [.. Enumerable.Range(1, 80).Select(i => new TextBlock($"Line {i}"))],
            Actions = [new CardAction("Done", "x.done")],
            Reason = "Sent because: a test",
        };

        var blocks = BlockKitRenderer.Blocks(card);

        Assert.Multiple(() =>
        {
            Assert.That(blocks, Has.Count.EqualTo(BlockKitRenderer.MaxBlocks));
            Assert.That((string?)blocks[^3]!["elements"]![0]!["text"], Does.Match(@"^…and \d+ more not shown here\.$"));
            Assert.That((string?)blocks[^2]!["type"], Is.EqualTo("actions"));
            Assert.That((string?)blocks[^1]!["elements"]![0]!["text"], Is.EqualTo("Sent because: a test"));
        });
    }

    [Test]
    public void What_people_wrote_is_never_read_as_markup()
    {
        var card = new Card("Comments") { Body = [new PlainText("<!channel> *urgent* <https://evil.example|click>")] };

        var block = BlockKitRenderer.Blocks(card)[1]!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)block["type"], Is.EqualTo("rich_text"), "rich text is shown as written");
            Assert.That((string?)block["elements"]![0]!["elements"]![0]!["text"], Is.EqualTo("<!channel> *urgent* <https://evil.example|click>"));
        });
    }

    [Test]
    public void Bot_text_escapes_slacks_control_characters()
    {
        var card = new Card("T") { Body = [new TextBlock("a < b & c > d **bold**")] };

        Assert.That((string?)BlockKitRenderer.Blocks(card)[1]!["text"]!["text"], Is.EqualTo("a &lt; b &amp; c &gt; d *bold*"));
    }
}
