using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Slack.Fakes;

namespace AlignmentBot.Tests.Slack;

/// <summary>What a person does in Slack, as Slack sends it: a signed <c>block_actions</c> for a click on a message the bot posted, a signed <c>view_submission</c> for a modal.</summary>
public sealed class SlackClicks(SlackHarness h)
{
    /// <summary>The newest version of the message, found by where it landed and its ts.</summary>
    public FakeSlackMessage Latest(FakeSlackMessage message) => h.Slack.Messages.Last(m => m.Channel == message.Channel && m.Ts == message.Ts);

    /// <summary>The messages the bot sent to this person (posted to their user id), first versions.</summary>
    public IReadOnlyList<FakeSlackMessage> To(string userId) => [.. h.Slack.Messages.Where(m => m.PostedTo == userId && m.Version == 1)];

    /// <summary>Every button in the message, with its block.</summary>
    public static IEnumerable<(string BlockId, JsonObject Button)> Buttons(FakeSlackMessage message) =>
        from block in message.Blocks!.OfType<JsonObject>()
        let elements = (string?)block["type"] == "actions" ? ((JsonArray)block["elements"]!).OfType<JsonObject>()
            : block["accessory"] is JsonObject accessory ? [accessory] : []
        from element in elements
        where (string?)element["type"] == "button"
        select ((string?)block["block_id"] ?? "b", element);

    /// <summary>Clicks the first button whose text is <paramref name="text"/> in the block <paramref name="blockId"/> (any block when null).</summary>
    public Task<HttpResponseMessage> ClickAsync(string userId, FakeSlackMessage message, string text, string? blockId = null, string? forgedValue = null)
    {
        var (block, button) = Buttons(Latest(message)).First(b => (string?)b.Button["text"]!["text"] == text && (blockId is null || b.BlockId.StartsWith(blockId, StringComparison.Ordinal)));
        var action = new JsonObject
        {
            ["type"] = "button", ["action_id"] = (string?)button["action_id"], ["block_id"] = block, ["value"] = forgedValue ?? (string?)button["value"],
            ["action_ts"] = h.Now,
        };
        return PostAsync(new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = h.Slack.TeamId, ["domain"] = "fake" },
            ["user"] = new JsonObject { ["id"] = userId, ["team_id"] = h.Slack.TeamId },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = h.Slack.NewTriggerId(),
            ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = message.Channel, ["message_ts"] = message.Ts, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = message.Channel },
            ["actions"] = new JsonArray(action),
        });
    }

    /// <summary>Submits the last modal opened, with these values by input id (plain text for text, the option's value for a select).</summary>
    public Task<HttpResponseMessage> SubmitAsync(string userId, IReadOnlyDictionary<string, string> values)
    {
        var view = h.Slack.Views[^1];
        var state = new JsonObject();
        foreach (var block in ((JsonArray)view["blocks"]!).OfType<JsonObject>().Where(b => (string?)b["type"] == "input"))
        {
            var id = (string)block["block_id"]!;
            var type = (string)block["element"]!["type"]!;
            if (!values.TryGetValue(id, out var value))
            {
                continue;
            }

            state[id] = new JsonObject
            {
                [id] = type is "static_select" or "radio_buttons"
                    ? new JsonObject { ["type"] = type, ["selected_option"] = new JsonObject { ["value"] = value, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value } } }
                    : new JsonObject { ["type"] = type, ["value"] = value },
            };
        }

        return PostAsync(new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = h.Slack.TeamId, ["domain"] = "fake" },
            ["user"] = new JsonObject { ["id"] = userId, ["team_id"] = h.Slack.TeamId },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = h.Slack.NewTriggerId(),
            ["view"] = new JsonObject
            {
                ["id"] = "V000001", ["team_id"] = h.Slack.TeamId, ["type"] = "modal", ["callback_id"] = (string?)view["callback_id"],
                ["private_metadata"] = (string?)view["private_metadata"], ["state"] = new JsonObject { ["values"] = state }, ["hash"] = "1.fake",
            },
        });
    }

    /// <summary>The JSON a modal submission was answered with (empty: Slack closes the modal).</summary>
    public static async Task<JsonElement?> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject payload) =>
        h.PostSignedAsync(SlackInteractivityEndpoint.Path, SlackHarness.Form(("payload", payload.ToJsonString())), "application/x-www-form-urlencoded");
}
