using System.Text.Json;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Bot.Teams.Auth;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Teams.Turns;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>, where Teams (or a local client) delivers activities. Order of checks:
/// size (413), the bearer token (401, before the body is even parsed), the JSON (400), the token
/// against the activity — endorsement, serviceurl claim, allowed host (401) — Teams only, from a tenant we serve
/// (403), then the turn.
/// Invokes get their answer in this response; typing, reactions, edits and events get 200 at once and are
/// processed just after (<see cref="AnsweredFirst"/>); everything else gets 200 once the replies are sent.
/// </summary>
public static class MessagesEndpoint
{
    public const string Path = "/api/messages";
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(
        HttpContext http,
        IInboundAuthenticator authenticator,
        TeamsActivityPolicy policy,
        IOptions<TeamsOptions> options,
        TeamsTurnProcessor turns,
        TeamsReplySender replies,
        AnsweredFirst afterAck,
        AuthFailureLog failures,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(MessagesEndpoint));
        var ct = http.RequestAborted;
        var authenticated = options.Value.IsAuthenticated;

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        TokenCheck? token = null;
        if (authenticated)
        {
            using (var verify = BotTelemetry.Source.StartActivity(BotTelemetry.Verify))
            {
                token = await authenticator.ValidateTokenAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, ct);
                verify?.SetStatus(token.Succeeded ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error);
            }

            if (!token.Succeeded)
            {
                failures.Failed(Path, token.FailureReason ?? "token not validated");
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, ProtocolJson.Options);
        }
        catch (JsonException ex)
        {
            logger.LogInformation("Malformed activity JSON: {Reason}", LogText.Escape(ex.Message));
            activity = null;
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            await Results.Problem(statusCode: 400, title: "Malformed activity", detail: "The body must be a Bot Framework activity (JSON with a type).").ExecuteAsync(http);
            return;
        }

        if (token is not null)
        {
            var outcome = authenticator.ValidateActivity(token, activity.ChannelId, activity.ServiceUrl);
            if (!outcome.Succeeded)
            {
                failures.Failed(Path, $"{activity.Type} activity: {outcome.FailureReason}");
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        if (ActivityShape.Problem(activity, body) is { } problem)
        {
            await Results.Problem(statusCode: 400, title: "Malformed activity", detail: $"The activity cannot be handled: {problem}.").ExecuteAsync(http);
            return;
        }

        if (policy.Check(activity) is { Succeeded: false } refused)
        {
            failures.Failed(Path, $"{activity.Type} activity: {refused.FailureReason}");
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (activity.Conversation?.Id is not { Length: > 0 })
        {
            // Nothing to answer or record without a conversation (some clients send pings like this).
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (AnsweredFirst.SafeToAcknowledgeFirst(activity) && afterAck.TryEnqueue(activity))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var result = await turns.ProcessAsync(activity, ct);
        using var reply = BotTelemetry.Source.StartActivity(BotTelemetry.Reply);
        await replies.SendAsync(result, ct);

        if (activity.Type == ActivityTypes.Invoke)
        {
            var invoke = result.Invoke ?? new InvokeResponse(200, null);
            http.Response.StatusCode = invoke.Status;
            if (invoke.Body is not null)
            {
                await http.Response.WriteAsJsonAsync(invoke.Body, ProtocolJson.Options, ct);
            }

            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (a missing Content-Length is no way around the limit).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
