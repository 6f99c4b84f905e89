using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Blocks;

namespace AlignmentBot.Tests.Slack;

/// <summary>Questions answered one tap at a time, as Block Kit and back: what a click or a choice sends is the question and the answer.</summary>
public class BlockKitAnswersTests
{
    private static readonly CardAction Answer = new("Answer", "pulse.answer")
    {
        Data = new Dictionary<string, string> { ["runId"] = "7", ["question"] = "3" }, SubmitsInputs = false,
    };

    private static JsonElement Payload(JsonObject action) => JsonDocument.Parse(new JsonObject
    {
        ["type"] = "block_actions", ["actions"] = new JsonArray(action),
    }.ToJsonString()).RootElement;

    [Test]
    public void More_choices_than_two_rows_of_buttons_become_a_select_whose_choice_is_the_answer()
    {
        var question = new ChoiceQuestion("q3", "Which team do you work with most?", [.. Enumerable.Range(1, 14).Select(i => new Choice($"Team {i}", $"team-{i}"))])
        {
            AnswerAlone = Answer,
        };
        var blocks = BlockKitRenderer.Blocks(new Card("Pulse") { Body = [question] });
        var select = blocks.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions").SelectMany(b => ((JsonArray)b["elements"]!).OfType<JsonObject>()).Single();

        var submission = SlackInteractivityEndpoint.Submission(Payload(new JsonObject
        {
            ["type"] = "static_select", ["action_id"] = (string?)select["action_id"],
            ["selected_option"] = new JsonObject { ["value"] = "team-12", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Team 12" } },
        }));

        Assert.Multiple(() =>
        {
            Assert.That((string?)select["type"], Is.EqualTo("static_select"));
            Assert.That(((string?)select["action_id"])!.Length, Is.LessThanOrEqualTo(255), "Slack's limit for an action id");
            Assert.That(submission?.Verb, Is.EqualTo("pulse.answer"));
            Assert.That((submission?.Get("runId"), submission?.Get("question"), submission?.Get("q3")), Is.EqualTo(("7", "3", "team-12")));
        });
    }

    [Test]
    public void A_select_that_does_not_say_its_question_sends_nothing()
    {
        var submission = SlackInteractivityEndpoint.Submission(Payload(new JsonObject
        {
            ["type"] = "static_select", ["action_id"] = """{"verb":"pulse.answer","runId":"7"}""",
            ["selected_option"] = new JsonObject { ["value"] = "4" },
        }));

        Assert.That(submission, Is.Null);
    }

    [Test]
    public void Up_to_six_choices_are_one_row_seven_to_eleven_two_rows()
    {
        int Rows(int n) => BlockKitRenderer.Blocks(new Card("Pulse")
        {
            Body = [new ChoiceQuestion("q3", "Pick", [.. Enumerable.Range(1, n).Select(i => new Choice($"{i}", $"{i}"))]) { AnswerAlone = Answer }],
        }).Count(b => (string?)b!["type"] == "actions");

        Assert.That(new[] { Rows(2), Rows(6), Rows(7), Rows(11), Rows(12) }, Is.EqualTo(new[] { 1, 1, 2, 2, 1 }), "12 and more: one select");
    }
}
