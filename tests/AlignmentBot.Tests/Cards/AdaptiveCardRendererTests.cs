using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;

namespace AlignmentBot.Tests.Cards;

public class AdaptiveCardRendererTests
{
    [Test]
    public void A_button_is_an_Action_Execute_whose_data_also_carries_the_verb_for_Action_Submit_clients()
    {
        var card = new Card("Check in") { Actions = [new CardAction("Check in", "kr.checkin") { Data = new Dictionary<string, string> { ["kr"] = "42" } }] };

        var action = AdaptiveCardRenderer.Render(card)["actions"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)action["type"], Is.EqualTo("Action.Execute"));
            Assert.That((string?)action["verb"], Is.EqualTo("kr.checkin"));
            Assert.That((string?)action["data"]!["verb"], Is.EqualTo("kr.checkin"));
            Assert.That((string?)action["data"]!["kr"], Is.EqualTo("42"));
        });
    }

    [Test]
    public void The_card_targets_Adaptive_Cards_1_5_which_is_what_Teams_renders_for_bots()
    {
        var json = AdaptiveCardRenderer.Render(new Card("Hello"));

        Assert.That((string?)json["version"], Is.EqualTo("1.5"));
        Assert.That((string?)json["type"], Is.EqualTo("AdaptiveCard"));
    }

    [Test]
    public void Required_inputs_carry_a_label_and_an_error_message()
    {
        var card = new Card("Pulse")
        {
            Body =
            [
                new ChoiceQuestion("q1", "I know what is expected of me", [new Choice("Agree", "4")]),
                new NumberQuestion("value", "New value") { Min = 0, Max = 100 },
                new TextQuestion("comment", "Anything else?") { Multiline = true, MaxLength = 500 },
            ],
        };

        var inputs = AdaptiveCardRenderer.Render(card)["body"]!.AsArray().Where(n => ((string?)n!["type"])!.StartsWith("Input.", StringComparison.Ordinal)).ToList();

        Assert.That(inputs, Has.Count.EqualTo(3));
        Assert.That(inputs.Select(i => (string?)i!["label"]), Has.None.Null);
        Assert.That(inputs.Where(i => (bool)i!["isRequired"]!).Select(i => (string?)i!["errorMessage"]), Has.None.Null);
        Assert.That((bool)inputs[2]!["isRequired"]!, Is.False, "text questions are optional unless said otherwise");
    }

    [TestCase(-0.5, "▱▱▱▱▱▱▱▱▱▱ -50%")]
    [TestCase(0.0, "▱▱▱▱▱▱▱▱▱▱ 0%")]
    [TestCase(0.34, "▰▰▰▱▱▱▱▱▱▱ 34%")]
    [TestCase(1.0, "▰▰▰▰▰▰▰▰▰▰ 100%")]
    [TestCase(1.3, "▰▰▰▰▰▰▰▰▰▰ 130%")]
    public void Progress_draws_a_clamped_bar_but_says_the_true_percentage(double fraction, string expected)
    {
        var container = AdaptiveCardRenderer.Render(new Card("KR") { Body = [new Progress("Revenue", fraction)] })["body"]![1]!;

        Assert.That((string?)container["items"]![1]!["text"], Is.EqualTo(expected));
    }

    [Test]
    public void The_reason_a_proactive_message_was_sent_is_shown_at_the_bottom()
    {
        var body = AdaptiveCardRenderer.Render(new Card("Nudge") { Reason = "Sent because: no check-in for 9 days (step 1 of 3)" })["body"]!.AsArray();

        var last = body[^1]!;
        Assert.That((string?)last["text"], Is.EqualTo("Sent because: no check-in for 9 days (step 1 of 3)"));
        Assert.That((bool?)last["isSubtle"], Is.True);
    }

    [Test]
    public void A_problem_with_the_submission_is_shown_before_the_inputs()
    {
        var body = AdaptiveCardRenderer.Render(new Card("Pulse")
        {
            Problem = "Question 2 needs an answer.",
            Body = [new ChoiceQuestion("q2", "Q2", [new Choice("Yes", "1")])],
        })["body"]!.AsArray();

        var problemIndex = body.ToList().FindIndex(n => (string?)n!["items"]?[0]?["text"] == "Question 2 needs an answer.");
        var inputIndex = body.ToList().FindIndex(n => (string?)n!["type"] == "Input.ChoiceSet");
        Assert.That(problemIndex, Is.GreaterThan(0).And.LessThan(inputIndex));
        Assert.That((string?)body[problemIndex]!["style"], Is.EqualTo("attention"), "a container both Teams themes draw readably");
    }

    [Test]
    public void Rendering_is_plain_json_that_survives_a_round_trip()
    {
        var json = AdaptiveCardRenderer.Render(new Card("Hello") { Body = [new FactList([new Fact("a", "b")])] }).ToJsonString();

        Assert.That(JsonNode.Parse(json)!["body"]![1]!["facts"]![0]!["title"]!.GetValue<string>(), Is.EqualTo("a"));
    }
}
