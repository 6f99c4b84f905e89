using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Bot.Turns;
using Microsoft.AspNetCore.WebUtilities;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// <c>POST /slack/interactivity</c>: a form with one field, <c>payload</c> (JSON). A button press
/// (<c>block_actions</c>) is acknowledged at once and handled after: its value carries the verb and data, the message's
/// inputs (<c>state.values</c>) the answers, and the card it was pressed on is replaced (<c>chat.update</c>).
/// </summary>
public static class SlackInteractivityEndpoint
{
    public const string Path = "/slack/interactivity";

    internal static async Task HandleAsync(HttpContext http, SlackRequests requests, SlackBackground background, SlackDirectory slack, TurnProcessor turns, SlackReplies replies)
    {
        if (await requests.ReadVerifiedAsync(http) is not { } body)
        {
            return;
        }

        if (Payload(body) is not { } payload)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (SlackJson.String(payload, "type") != "block_actions")
        {
            // view_submission and the rest: an empty 200 closes a modal; the bot opens none yet.
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var teamId = SlackJson.String(payload, "team", "id") ?? SlackJson.String(payload, "user", "team_id");
        var userId = SlackJson.String(payload, "user", "id");
        var channel = SlackJson.String(payload, "container", "channel_id") ?? SlackJson.String(payload, "channel", "id");
        var messageTs = SlackJson.String(payload, "container", "message_ts") ?? SlackJson.String(payload, "message", "ts");
        var submission = Submission(payload);
        if (teamId is null || userId is null || channel is null || submission is null)
        {
            http.Response.StatusCode = submission is null && teamId is not null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            return;
        }

        var enterpriseId = SlackJson.String(payload, "enterprise", "id");
        var queued = background.TryQueue($"block action {submission.Verb}", async ct =>
        {
            var turn = await slack.TurnAsync(teamId, enterpriseId, userId, channel, direct: channel.StartsWith('D'), ct);
            var outcome = await turns.CardActionAsync(turn, submission, ct);
            await replies.SendAsync(new SlackPlace(teamId, channel, userId, messageTs), outcome, ct);
        });
        http.Response.StatusCode = queued ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
    }

    private static JsonElement? Payload(byte[] body)
    {
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (!form.TryGetValue("payload", out var values) || values.Count != 1)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(values[0]!);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The pressed button's verb and data with the message's input values; null for anything but one of our buttons.</summary>
    public static CardSubmission? Submission(JsonElement payload)
    {
        var action = SlackJson.Array(payload, "actions").FirstOrDefault();
        if (action.ValueKind != JsonValueKind.Object || SlackJson.String(action, "type") != "button" || SlackJson.String(action, "value") is not { } raw)
        {
            return null;
        }

        Dictionary<string, JsonElement> values = [];
        if (SlackJson.Object(payload, "state") is { } state && SlackJson.Object(state, "values") is { } blocks)
        {
            foreach (var block in blocks.EnumerateObject().Where(b => b.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (var input in block.Value.EnumerateObject())
                {
                    if (InputValue(input.Value) is { } value)
                    {
                        values[input.Name] = JsonSerializer.SerializeToElement(value);
                    }
                }
            }
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return values.TryGetValue(BlockKitRenderer.VerbKey, out var verb) && verb.ValueKind == JsonValueKind.String
            ? new CardSubmission(verb.GetString()!, values, Automatic: false)
            : null;
    }

    private static string? InputValue(JsonElement input) => SlackJson.String(input, "type") switch
    {
        "radio_buttons" or "static_select" => SlackJson.String(input, "selected_option", "value"),
        "plain_text_input" or "number_input" => SlackJson.String(input, "value"),
        _ => null,
    };
}
