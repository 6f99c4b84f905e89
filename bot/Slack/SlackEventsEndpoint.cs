using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// <c>POST /slack/events</c>, the Events API. Verified first (<see cref="SlackRequests"/>); then the URL check
/// (echo the challenge) or an event: claimed by <c>event_id</c> in PostgreSQL (a retry of an event already handled
/// or being handled is acknowledged and dropped — <see cref="SlackEventStore"/>), acknowledged, and handled after.
/// </summary>
public static class SlackEventsEndpoint
{
    public const string Path = "/slack/events";

    internal static async Task HandleAsync(HttpContext http, SlackRequests requests, SlackEventStore events, SlackBackground background, SlackEvents handler, ILoggerFactory loggers)
    {
        if (await requests.ReadVerifiedAsync(http) is not { } body)
        {
            return;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var type = SlackJson.String(root, "type");
        if (type == "url_verification" && SlackJson.String(root, "challenge") is { } challenge)
        {
            await http.Response.WriteAsJsonAsync(new JsonObject { ["challenge"] = challenge });
            return;
        }

        if (type != "event_callback" || SlackJson.String(root, "event_id") is not { Length: > 0 } eventId
            || SlackJson.String(root, "team_id") is not { Length: > 0 } teamId || !root.TryGetProperty("event", out var inner) || inner.ValueKind != JsonValueKind.Object)
        {
            http.Response.StatusCode = type is "event_callback" or "url_verification" ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
            return;
        }

        if (!await events.TryClaimAsync(eventId, teamId, http.RequestAborted))
        {
            loggers.CreateLogger(typeof(SlackEventsEndpoint)).LogInformation("Slack event {EventId} again (retry {Retry}): already handled", eventId,
                http.Request.Headers["X-Slack-Retry-Num"].ToString());
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (!background.TryQueue($"event {eventId}", async ct =>
            {
                await handler.HandleAsync(root, inner, ct);
                await events.DoneAsync(eventId, ct);
            }))
        {
            // Full: Slack retries, and the claim becomes stale, so the retry is handled.
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
