using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>
/// Slack's Web API on a real loopback port, speaking the documented shapes: every answer is HTTP 200 with
/// <c>{"ok": true, ...}</c> or <c>{"ok": false, "error": "..."}</c>, except a rate limit (HTTP 429 + Retry-After,
/// <see cref="FakeSlackLimits"/>). Methods: <c>chat.postMessage</c> (to a channel, or to a user id → their DM channel),
/// <c>chat.update</c>, <c>views.open</c>, <c>users.list</c> and <c>conversations.members</c> (paged with
/// <c>limit</c> and <c>cursor</c>; a <c>deleted</c> user is listed as Slack lists a deactivated account), <c>auth.test</c>,
/// <c>oauth.v2.access</c>. A method's rate tier (<see cref="FakeSlackLimits.PerMinute"/>, e.g. users.list's tier 2)
/// answers 429 + Retry-After; a token in <see cref="RevokedTokens"/> is refused with <c>token_revoked</c>, an unknown one
/// with <c>invalid_auth</c>, as Slack does.
/// </summary>
public sealed partial class FakeSlackWebApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<FakeSlackMessage> _messages = [];
    private readonly List<(string Method, JsonObject Body, DateTimeOffset At)> _calls = [];
    private readonly Dictionary<string, long> _triggers = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _views = [];
    private long _ts = 1_700_000_000;
    private long _trigger;

    private FakeSlackWebApi(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        Limits = new FakeSlackLimits(time);
        _app.Run(HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;
    public FakeSlackLimits Limits { get; }
    public string TeamId { get; set; } = "T0FAKE";
    public string BotUserId { get; set; } = "U0BOT";
    public string BotToken { get; set; } = "xoxb-fake-token";
    public string ClientId { get; set; } = "1111.2222";
    public string ClientSecret { get; set; } = "fake-client-secret";

    /// <summary>The workspace's people as <c>users.list</c> returns them (JSON objects with id, name, tz, deleted, is_bot...).</summary>
    public List<JsonObject> Users { get; } = [];

    /// <summary>Channel id → member ids for <c>conversations.members</c>.</summary>
    public Dictionary<string, List<string>> Channels { get; } = new(StringComparer.Ordinal);

    /// <summary>Tokens Slack no longer accepts (the workspace revoked them): every method answers <c>token_revoked</c>.</summary>
    public HashSet<string> RevokedTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Channel or user ids <c>chat.postMessage</c> answers with this error (e.g. channel_not_found, is_archived).</summary>
    public Dictionary<string, string> Refuse { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<FakeSlackMessage> Messages { get { lock (_lock) { return [.. _messages]; } } }

    /// <summary>The modals <c>views.open</c> opened, in order.</summary>
    public IReadOnlyList<JsonObject> Views { get { lock (_lock) { return [.. _views]; } } }

    /// <summary>How long a trigger id lives (Slack: 3 seconds), measured on the real clock: the bot must open the modal while the click is fresh.</summary>
    public TimeSpan TriggerLifetime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A trigger id as Slack puts in an interaction, good for one <c>views.open</c> within <see cref="TriggerLifetime"/>.</summary>
    public string NewTriggerId()
    {
        lock (_lock)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{++_trigger}.{TeamId}.fake");
            _triggers[id] = System.Diagnostics.Stopwatch.GetTimestamp();
            return id;
        }
    }
    /// <summary>Every call, in order, with the time on the fake's clock it arrived at (429s included).</summary>
    public IReadOnlyList<(string Method, JsonObject Body, DateTimeOffset At)> Calls { get { lock (_lock) { return [.. _calls]; } } }

    public static async Task<FakeSlackWebApi> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeSlackWebApi(builder.Build(), time ?? TimeProvider.System);
        await fake._app.StartAsync();
        fake.BaseAddress = new Uri(fake._app.Urls.Single().TrimEnd('/') + "/api/");
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var method = http.Request.Path.Value!.Replace("/api/", "", StringComparison.Ordinal);
        var body = await ReadAsync(http.Request);
        lock (_lock)
        {
            _calls.Add((method, body, _time.GetUtcNow()));
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && RevokedTokens.Contains(authorization[7..]))
        {
            await AnswerAsync(http, Error("token_revoked"));
            return;
        }

        if (method != "oauth.v2.access" && Limits.AdmitMethod(method) is { } methodRetryAfter)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)methodRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return;
        }

        if (method != "oauth.v2.access" && authorization != $"Bearer {BotToken}" && TokenError(authorization) is var tokenError && tokenError is not null)
        {
            await AnswerAsync(http, Error(authorization.Length == 0 ? "not_authed" : tokenError));
            return;
        }

        if (method == "chat.postMessage" && Str(body, "channel") is { } target && !Refuse.ContainsKey(target) && Limits.Admit(target) is { } retryAfter)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return;
        }

        await AnswerAsync(http, method switch
        {
            "chat.postMessage" => PostMessage(body),
            "chat.update" => Update(body),
            "views.open" => OpenView(body),
            "auth.test" => Ok(new JsonObject { ["team_id"] = TeamId, ["user_id"] = BotUserId, ["bot_id"] = "B0FAKE" }),
            "users.list" => Page(body, Users.Select(u => (JsonNode)u.DeepClone()).ToList(), "members"),
            "conversations.members" => Str(body, "channel") is { } channel && Channels.TryGetValue(channel, out var members)
                ? Page(body, members.Select(m => (JsonNode)JsonValue.Create(m)).ToList(), "members")
                : Error("channel_not_found"),
            "oauth.v2.access" => OAuth(http, body),
            _ => Error("unknown_method"),
        });
    }

    private JsonObject PostMessage(JsonObject body)
    {
        if (Str(body, "channel") is not { Length: > 0 } channel)
        {
            return Error("channel_not_found");
        }

        if (Refuse.TryGetValue(channel, out var refused))
        {
            return Error(refused);
        }

        if (Validate(body) is { } problem)
        {
            return Error(problem);
        }

        var landed = channel.StartsWith('U') ? "D" + channel[1..] : channel;
        var ts = string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _ts)}.000100");
        lock (_lock)
        {
            _messages.Add(new FakeSlackMessage(landed, ts, body, channel, 1, _time.GetUtcNow()));
        }

        return Ok(new JsonObject { ["channel"] = landed, ["ts"] = ts, ["message"] = new JsonObject { ["text"] = Str(body, "text") } });
    }

    /// <summary>Slack's answers: an unknown trigger is <c>invalid_trigger_id</c>, a used one <c>exchanged_trigger_id</c>, a late one <c>expired_trigger_id</c>.</summary>
    private JsonObject OpenView(JsonObject body)
    {
        if (body["view"] is not JsonObject view || Str(view, "type") != "modal" || view["title"] is null || view["blocks"] is not JsonArray { Count: > 0 and <= 100 })
        {
            return Error("invalid_arguments");
        }

        lock (_lock)
        {
            if (Str(body, "trigger_id") is not { } trigger || !_triggers.Remove(trigger, out var issued))
            {
                return Error(Str(body, "trigger_id") is { } used && used.EndsWith(".fake", StringComparison.Ordinal) ? "exchanged_trigger_id" : "invalid_trigger_id");
            }

            if (System.Diagnostics.Stopwatch.GetElapsedTime(issued) > TriggerLifetime)
            {
                return Error("expired_trigger_id");
            }

            _views.Add(view);
        }

        return Ok(new JsonObject { ["view"] = new JsonObject { ["id"] = string.Create(CultureInfo.InvariantCulture, $"V{_views.Count:D6}") } });
    }

    private JsonObject Update(JsonObject body)
    {
        var (channel, ts) = (Str(body, "channel"), Str(body, "ts"));
        if (Validate(body) is { } problem)
        {
            return Error(problem);
        }

        lock (_lock)
        {
            var index = _messages.FindLastIndex(m => m.Channel == channel && m.Ts == ts);
            if (index < 0)
            {
                return Error(channel is null ? "channel_not_found" : "message_not_found");
            }

            _messages.Add(_messages[index] with { Body = body, Version = _messages[index].Version + 1 });
        }

        return Ok(new JsonObject { ["channel"] = channel, ["ts"] = ts });
    }

    /// <summary>What Slack refuses outright: no text and no blocks, more than 50 blocks, a text over 40,000 characters.</summary>
    private static string? Validate(JsonObject body) =>
        Str(body, "text") is not { Length: > 0 } && body["blocks"] is not JsonArray { Count: > 0 } ? "no_text"
        : body["blocks"] is JsonArray { Count: > 50 } ? "invalid_blocks"
        : Str(body, "text") is { Length: > 40_000 } ? "msg_too_long"
        : null;

    private static JsonObject Page(JsonObject body, List<JsonNode> items, string name)
    {
        var limit = int.TryParse(Str(body, "limit"), CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 1000) : 100;
        var start = Str(body, "cursor") is { Length: > 0 } cursor && int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = items.Skip(start).Take(limit).ToArray();
        var next = start + limit < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + limit).ToString(CultureInfo.InvariantCulture))) : "";
        return Ok(new JsonObject { [name] = new JsonArray(page), ["response_metadata"] = new JsonObject { ["next_cursor"] = next } });
    }

    private static async Task<JsonObject> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))));
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject json ? json : [];
    }

    private static string? Str(JsonObject body, string name) => body[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject Ok(JsonObject body)
    {
        body["ok"] = true;
        return body;
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static Task AnswerAsync(HttpContext http, JsonObject body)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
