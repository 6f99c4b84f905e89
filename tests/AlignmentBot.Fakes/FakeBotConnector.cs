using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// A Bot Connector (the Teams side of the REST protocol) on a real loopback HTTP port. It checks the
/// bearer token, records everything it receives, creates ids and conversations, serves paged rosters,
/// and can be scripted to fail. Every request goes: record → token check (401) → scripted replies
/// (<see cref="RespondNext"/>) → <see cref="OnRequest"/> hook → normal handling; the hook is where rate
/// limits and latency plug in.
/// </summary>
public sealed partial class FakeBotConnector : IAsyncDisposable
{
    public const string CorrelatingOperationIdHeader = "X-Correlating-OperationId";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeRequest> _requests = [];
    private readonly List<ReceivedActivity> _activities = [];
    private readonly List<CreatedConversation> _conversations = [];
    private readonly Dictionary<string, string> _personalConversations = new(StringComparer.Ordinal);
    private readonly List<Script> _scripts = [];
    private readonly HashSet<string> _connections = new(StringComparer.Ordinal);
    private long _sequence;
    private long _nextActivityId = 1_700_000_000_000;

    private FakeBotConnector(WebApplication app, string pathBase, TimeProvider time)
    {
        _app = app;
        PathBase = pathBase;
        Time = time;
        _app.Run(HandleAsync);
    }

    /// <summary>The connector's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What Teams would put in <c>activity.serviceUrl</c>: the root plus the path base, with a trailing slash.</summary>
    public string ServiceUrl => new Uri(BaseAddress, PathBase.TrimStart('/')).ToString();

    /// <summary>Served under this prefix (Teams' serviceUrls carry one, e.g. <c>/amer/</c>).</summary>
    public string PathBase { get; }

    /// <summary>The clock requests are stamped with (and a later rate limiter would count by).</summary>
    public TimeProvider Time { get; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer {token}</c> or gets 401. Null: anything goes.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Per-request hook after the token check and scripts: return a reply to answer with it, null to carry on.</summary>
    public Func<FakeRequest, CancellationToken, ValueTask<FakeReply?>>? OnRequest { get; set; }

    public static async Task<FakeBotConnector> StartAsync(string pathBase = "/", TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeBotConnector(builder.Build(), "/" + pathBase.Trim('/') + (pathBase.Trim('/').Length > 0 ? "/" : ""), time ?? TimeProvider.System);
        await fake._app.StartAsync();
        fake.BaseAddress = new Uri(fake._app.Urls.Single().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Answers the next <paramref name="count"/> requests (those matching <paramref name="when"/>, if given) with <paramref name="reply"/>.</summary>
    public void RespondNext(int count, FakeReply reply, Func<FakeRequest, bool>? when = null)
    {
        lock (_lock)
        {
            _scripts.Add(new Script(reply, when ?? (_ => true)) { Remaining = count });
        }
    }

    /// <summary>Every request received so far, in order, with what was answered.</summary>
    public IReadOnlyList<FakeRequest> Requests { get { lock (_lock) { return [.. _requests]; } } }

    public int RequestCount { get { lock (_lock) { return _requests.Count; } } }

    public int CountOf(FakeOperation operation) { lock (_lock) { return _requests.Count(r => r.Operation == operation); } }

    /// <summary>Activities accepted (sent, replied, updated, deleted), in order.</summary>
    public IReadOnlyList<ReceivedActivity> Activities { get { lock (_lock) { return [.. _activities]; } } }

    public IReadOnlyList<ReceivedActivity> ActivitiesIn(string conversationId)
    {
        lock (_lock)
        {
            return [.. _activities.Where(a => a.ConversationId == conversationId)];
        }
    }

    /// <summary>Answers to <c>POST /v3/conversations</c>, in order (asking twice for the same user gives the same id, as Teams does).</summary>
    public IReadOnlyList<CreatedConversation> Conversations { get { lock (_lock) { return [.. _conversations]; } } }

    /// <summary>How many messages (sends and replies) each user received in their 1:1 chat, by user id.</summary>
    public IReadOnlyDictionary<string, int> ReceivedPerUser()
    {
        lock (_lock)
        {
            var userOf = _personalConversations.ToDictionary(p => p.Value, p => p.Key);
            return _activities
                .Where(a => a.Operation is FakeOperation.Send or FakeOperation.Reply && userOf.ContainsKey(a.ConversationId))
                .GroupBy(a => userOf[a.ConversationId])
                .ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>TCP connections the requests came over: far fewer than requests when the client reuses them.</summary>
    public int ConnectionCount { get { lock (_lock) { return _connections.Count; } } }

    /// <summary>Requests answered 429.</summary>
    public int ThrottledCount { get { lock (_lock) { return _requests.Count(r => r.Status == 429); } } }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await ReadAsync(context);
        var reply = Authorize(request) ?? Scripted(request);
        if (reply is null && OnRequest is { } hook)
        {
            reply = await hook(request, context.RequestAborted);
        }

        reply ??= Handle(request);
        var correlating = Guid.NewGuid().ToString();
        lock (_lock)
        {
            _requests.Add(request with { Status = reply.Status, CorrelatingOperationId = correlating });
            _connections.Add(context.Connection.Id);
        }

        context.Response.StatusCode = reply.Status;
        context.Response.Headers[CorrelatingOperationIdHeader] = correlating;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    private async Task<FakeRequest> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var method = context.Request.Method;
        var (operation, conversationId, activityId) = Parse(method, context.Request.Path.Value ?? "");
        return new FakeRequest(
            Interlocked.Increment(ref _sequence),
            method,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            operation,
            conversationId,
            activityId,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null,
            body,
            Time.GetUtcNow());
    }

    /// <summary>Splits <c>{base}v3/conversations[/{id}[/activities[/{activityId}]|/pagedmembers]]</c>; ids arrive decoded.</summary>
    private (FakeOperation, string?, string?) Parse(string method, string path)
    {
        if (!path.StartsWith(PathBase, StringComparison.Ordinal))
        {
            return (FakeOperation.Unknown, null, null);
        }

        var segments = path[PathBase.Length..].Split('/');
        if (segments.Length < 2 || segments[0] != "v3" || segments[1] != "conversations")
        {
            return (FakeOperation.Unknown, null, null);
        }

        return (segments.Length, method) switch
        {
            (2, "POST") => (FakeOperation.CreateConversation, null, null),
            (4, "POST") when segments[3] == "activities" => (FakeOperation.Send, segments[2], null),
            (5, "POST") when segments[3] == "activities" => (FakeOperation.Reply, segments[2], segments[4]),
            (5, "PUT") when segments[3] == "activities" => (FakeOperation.Update, segments[2], segments[4]),
            (5, "DELETE") when segments[3] == "activities" => (FakeOperation.Delete, segments[2], segments[4]),
            (4, "GET") when segments[3] == "pagedmembers" => (FakeOperation.GetMembers, segments[2], null),
            _ => (FakeOperation.Unknown, segments.Length > 2 ? segments[2] : null, null),
        };
    }

    private FakeReply? Authorize(FakeRequest request) =>
        RequiredToken is null || request.Authorization == $"Bearer {RequiredToken}"
            ? null
            : new FakeReply(401, """{"message":"Authorization has been denied for this request."}""");

    private FakeReply? Scripted(FakeRequest request)
    {
        lock (_lock)
        {
            var script = _scripts.FirstOrDefault(s => s.Remaining > 0 && s.When(request));
            if (script is null)
            {
                return null;
            }

            script.Remaining--;
            return script.Reply;
        }
    }

    private FakeReply Handle(FakeRequest request)
    {
        switch (request.Operation)
        {
            case FakeOperation.Send or FakeOperation.Reply:
                var id = NextActivityId();
                Accept(new ReceivedActivity(request.Operation, request.ConversationId!, id, request.ActivityId, request.Body));
                return Json(201, new { id });
            case FakeOperation.Update:
                Accept(new ReceivedActivity(request.Operation, request.ConversationId!, request.ActivityId!, null, request.Body));
                return Json(200, new { id = request.ActivityId });
            case FakeOperation.Delete:
                Accept(new ReceivedActivity(request.Operation, request.ConversationId!, request.ActivityId!, null, null));
                return new FakeReply(200);
            case FakeOperation.CreateConversation:
                return CreateConversation(request);
            case FakeOperation.GetMembers:
                return MembersPage(request);
            default:
                return FakeReply.Error(404, "NotFound", $"The fake does not serve {request.Method} {request.RawTarget}");
        }
    }

    private FakeReply CreateConversation(FakeRequest request)
    {
        string? member;
        try
        {
            using var body = JsonDocument.Parse(request.Body);
            member = body.RootElement.GetProperty("members")[0].GetProperty("id").GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return FakeReply.Error(400, "BadArgument", "members[0].id is required");
        }

        lock (_lock)
        {
            if (!_personalConversations.TryGetValue(member!, out var id))
            {
                id = "a:" + Guid.NewGuid().ToString("N");
                _personalConversations[member!] = id;
            }

            _conversations.Add(new CreatedConversation(id, request.Body));
            return Json(201, new { id });
        }
    }

    private string NextActivityId() => Interlocked.Increment(ref _nextActivityId).ToString(CultureInfo.InvariantCulture);

    private void Accept(ReceivedActivity activity)
    {
        lock (_lock)
        {
            _activities.Add(activity);
        }
    }

    private static FakeReply Json(int status, object body) => new(status, JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    private sealed class Script(FakeReply reply, Func<FakeRequest, bool> when)
    {
        public FakeReply Reply { get; } = reply;
        public Func<FakeRequest, bool> When { get; } = when;
        public int Remaining { get; set; }
    }
}
