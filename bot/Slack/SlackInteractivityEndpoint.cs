using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Bot.Turns;
using Microsoft.AspNetCore.WebUtilities;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// <c>POST /slack/interactivity</c>: a form with one field, <c>payload</c> (JSON). A button press or a choice
/// (<c>block_actions</c>) is acknowledged at once and handled after: its value carries the verb and data (a tap's answer
/// among them), and the message it was pressed on is replaced (<c>chat.update</c>). A button that asks for input opens its
/// modal before anything else, while the <c>trigger_id</c> is fresh (<see cref="SlackModals"/>); the modal's
/// <c>view_submission</c> is answered in the HTTP response (validation errors, or closed).
/// </summary>
public static class SlackInteractivityEndpoint
{
    public const string Path = "/slack/interactivity";

    internal static async Task HandleAsync(HttpContext http, SlackRequests requests, SlackBackground background, SlackDirectory slack, TurnProcessor turns, SlackReplies replies,
        SlackModals modals)
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

        switch (SlackJson.String(payload, "type"))
        {
            case "block_actions":
                break;
            case "view_submission":
                await modals.SubmitAsync(http, payload);
                return;
            default:
                // view_closed and the rest: nothing to do.
                http.Response.StatusCode = StatusCodes.Status200OK;
                return;
        }

        var teamId = SlackJson.String(payload, "team", "id") ?? SlackJson.String(payload, "user", "team_id");
        var userId = SlackJson.String(payload, "user", "id");
        var channel = SlackJson.String(payload, "container", "channel_id") ?? SlackJson.String(payload, "channel", "id");
        var messageTs = SlackJson.String(payload, "container", "message_ts") ?? SlackJson.String(payload, "message", "ts");
        if (teamId is not null && userId is not null && await modals.TryOpenAsync(payload, teamId, channel, messageTs, http.RequestAborted) is { } opened)
        {
            http.Response.StatusCode = opened ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            return;
        }

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

        return SlackModals.ParseObject(values[0]!);
    }

    /// <summary>
    /// The pressed button's verb and data (or a select's: its id carries them, the chosen option is the answer) with the
    /// message's input values; null for anything but one of our buttons or selects.
    /// </summary>
    public static CardSubmission? Submission(JsonElement payload)
    {
        var action = SlackJson.Array(payload, "actions").FirstOrDefault();
        var (raw, chosen) = SlackJson.String(action, "type") switch
        {
            "button" => (SlackJson.String(action, "value"), null),
            "static_select" => (SlackJson.String(action, "action_id"), SlackJson.String(action, "selected_option", "value")),
            _ => (null, null),
        };
        if (raw is null || SlackModals.ParseObject(raw) is not { } data)
        {
            return null;
        }

        var values = SlackModals.StateValues(payload);
        foreach (var property in data.EnumerateObject())
        {
            values[property.Name] = property.Value.Clone();
        }

        if (chosen is not null)
        {
            if (!values.TryGetValue(BlockKitAnswers.InputKey, out var input) || input.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            values[input.GetString()!] = JsonSerializer.SerializeToElement(chosen);
        }

        return values.TryGetValue(BlockKitRenderer.VerbKey, out var verb) && verb.ValueKind == JsonValueKind.String
            ? new CardSubmission(verb.GetString()!, values, Automatic: false)
            : null;
    }
}
