using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// Input asked in a modal (a check-in, a comment). Opening: the button carries the whole form, so <c>views.open</c>
/// goes out with the <c>trigger_id</c> (valid for 3 seconds) before anything slow. Submitting: the same card action as
/// any other platform's submit, done within the request, because Slack shows validation errors only from the HTTP
/// response (<c>{"response_action":"errors","errors":{block_id: message}}</c>); a valid submission closes the modal and
/// the message it was opened from is replaced afterwards (<c>chat.update</c>, the channel and ts it carried along).
/// </summary>
public sealed class SlackModals(SlackWebApi api, SlackTokens tokens, SlackDirectory slack, TurnProcessor turns, SlackReplies replies, SlackBackground background,
    ILogger<SlackModals> logger)
{
    /// <summary>
    /// Opens the modal a pressed button asks for: true when handled (a refusal from Slack is logged), false when the
    /// payload is broken (no form that reads, no trigger id), null when the press is not one that opens a modal.
    /// </summary>
    public async Task<bool?> TryOpenAsync(JsonElement payload, string teamId, string? channel, string? messageTs, CancellationToken ct)
    {
        var action = SlackJson.Array(payload, "actions").FirstOrDefault();
        if (SlackJson.String(action, "type") != "button" || SlackJson.String(action, "value") is not { } raw || ParseObject(raw) is not { } value
            || !value.TryGetProperty(BlockKitForms.FormKey, out _))
        {
            return null;
        }

        if (BlockKitForms.ModalFor(value, channel, messageTs) is not { } view || SlackJson.String(payload, "trigger_id") is not { Length: > 0 } trigger)
        {
            return false;
        }

        if (await tokens.ForTeamAsync(teamId, ct) is not { } token)
        {
            logger.LogWarning("No modal opened in {Team}: no bot token (uninstalled, revoked or not configured)", teamId);
            return true;
        }

        var opened = await api.OpenViewAsync(token, trigger, view, ct);
        if (!opened.Ok)
        {
            logger.LogWarning("Could not open a modal in {Team}: {Error}", teamId, opened.Error);
        }

        return true;
    }

    /// <summary>A modal submitted: errors in the response, or an empty 200 (Slack closes the modal) and the message updated after.</summary>
    public async Task SubmitAsync(HttpContext http, JsonElement payload)
    {
        var view = SlackJson.Object(payload, "view");
        var teamId = SlackJson.String(payload, "team", "id") ?? SlackJson.String(payload, "user", "team_id");
        var userId = SlackJson.String(payload, "user", "id");
        if (view is not { } modal || SlackJson.String(modal, "callback_id") != BlockKitForms.CallbackId || teamId is null || userId is null
            || SlackJson.String(modal, "private_metadata") is not { } raw || ParseObject(raw) is not { } metadata
            || SlackJson.String(metadata, BlockKitRenderer.VerbKey) is not { } verb)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var values = StateValues(modal);
        foreach (var property in metadata.EnumerateObject().Where(p => !p.Name.StartsWith('_')))
        {
            values[property.Name] = property.Value.Clone();
        }

        // A modal opened from a message has its channel; the app's DM with the person otherwise (Slack's DM id for a user).
        var channel = SlackJson.String(metadata, BlockKitForms.ChannelKey) ?? userId;
        var ct = http.RequestAborted;
        var turn = await slack.TurnAsync(teamId, SlackJson.String(payload, "enterprise", "id"), userId, channel, direct: !channel.StartsWith('C') && !channel.StartsWith('G'), ct);
        var outcome = await turns.CardActionAsync(turn, new CardSubmission(verb, values, Automatic: false), ct);
        if (outcome.UpdatedCard is { Problem: { } problem } card)
        {
            var blocks = SlackJson.Object(modal, "state") is { } state && SlackJson.Object(state, "values") is { } given ? given.EnumerateObject().Select(b => b.Name).ToList() : [];
            var blockId = card.ProblemInput is { } input && blocks.Contains(input) ? input : blocks.FirstOrDefault();
            if (blockId is not null)
            {
                http.Response.StatusCode = StatusCodes.Status200OK;
                await http.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["response_action"] = "errors",
                    ["errors"] = new JsonObject { [blockId] = BlockKitRenderer.Clip(problem, BlockKitRenderer.MaxValue) },
                }, ct);
                return;
            }
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        var place = new SlackPlace(teamId, channel, userId, SlackJson.String(metadata, BlockKitForms.TsKey));
        background.TryQueue($"modal {verb}", work => replies.SendAsync(place, outcome, work));
    }

    /// <summary>The inputs' values by action id, from a message's or a modal's <c>state.values</c>.</summary>
    public static Dictionary<string, JsonElement> StateValues(JsonElement holder)
    {
        Dictionary<string, JsonElement> values = [];
        if (SlackJson.Object(holder, "state") is { } state && SlackJson.Object(state, "values") is { } blocks)
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

        return values;
    }

    /// <summary>A JSON object, or null for anything else (malformed text, another kind of value).</summary>
    public static JsonElement? ParseObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? InputValue(JsonElement input) => SlackJson.String(input, "type") switch
    {
        "radio_buttons" or "static_select" => SlackJson.String(input, "selected_option", "value"),
        "plain_text_input" or "number_input" => SlackJson.String(input, "value"),
        _ => null,
    };
}
