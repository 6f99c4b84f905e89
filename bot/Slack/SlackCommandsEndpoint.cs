using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Turns;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// <c>POST /slack/commands</c>: the one slash command, <c>/alignment &lt;command&gt;</c>, with the same commands as a
/// message to the bot. The answer is ephemeral (only the asker sees it, so "private" commands answer in place). It
/// goes in the HTTP response when ready within <see cref="AnswerWithin"/> (Slack waits 3 s); otherwise the response
/// says so and the answer follows through the command's <c>response_url</c> (only on <see cref="SlackOptions.ResponseUrlHost"/>).
/// </summary>
public static class SlackCommandsEndpoint
{
    public const string Path = "/slack/commands";
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2.5);
    public const string StillWorking = "Working on it — the answer follows in a moment.";

    internal static async Task HandleAsync(HttpContext http, SlackRequests requests, SlackBackground background, SlackDirectory slack, TurnProcessor turns,
        SlackWebApi api, IOptions<SlackOptions> options, TimeProvider time)
    {
        if (await requests.ReadVerifiedAsync(http) is not { } body)
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        if (Field("team_id") is not { Length: > 0 } teamId || Field("user_id") is not { Length: > 0 } userId || Field("channel_id") is not { Length: > 0 } channel)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var text = Field("text") ?? "";
        var enterpriseId = Field("enterprise_id");
        var work = AnswerAsync(slack, turns, teamId, enterpriseId, userId, channel, text, CancellationToken.None);
        var first = await Task.WhenAny(work, Task.Delay(AnswerWithin, time, http.RequestAborted));
        if (first == work)
        {
            await http.Response.WriteAsJsonAsync(await work);
            return;
        }

        var responseUrl = Uri.TryCreate(Field("response_url"), UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            && string.Equals(url.Host, options.Value.ResponseUrlHost, StringComparison.OrdinalIgnoreCase) ? url : null;
        if (responseUrl is not null)
        {
            background.TryQueue("late slash command answer", async ct => await api.RespondAsync(responseUrl, await work, ct));
        }

        await http.Response.WriteAsJsonAsync(Ephemeral(new JsonObject { ["text"] = StillWorking }));
    }

    private static async Task<JsonObject> AnswerAsync(SlackDirectory slack, TurnProcessor turns, string teamId, string? enterpriseId, string userId, string channel, string text, CancellationToken ct)
    {
        // Recorded as a channel even in a DM: a slash command can come from any DM, not only the app's own.
        var turn = await slack.TurnAsync(teamId, enterpriseId, userId, channel, direct: false, ct);
        var outcome = await turns.CommandAsync(turn, text, ct);
        var reply = outcome.PrivateReplies.Concat(outcome.Replies).FirstOrDefault() ?? Reply.WithText("Type /alignment help to see what I can do.");
        return Ephemeral(SlackReplies.Render(reply));
    }

    private static JsonObject Ephemeral(JsonObject message)
    {
        message["response_type"] = "ephemeral";
        return message;
    }
}
