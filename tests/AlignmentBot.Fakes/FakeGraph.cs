using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// Microsoft Graph v1.0 on a loopback port, for the SDK (its BaseUrl set to <see cref="BaseUrl"/>): <c>GET /users</c>
/// with $top paged by <c>@odata.nextLink</c> and <c>$expand=manager</c>, <c>GET /users/{id}/mailboxSettings</c>
/// (404 MailboxNotEnabledForRESTAPI without a mailbox), and JSON batching (<c>POST /$batch</c>, at most 20 requests,
/// answered in another order than asked), in the documented JSON shapes. It can throttle listings, whole batches and
/// single requests inside a batch (429 with Retry-After), and refuse everything as an app without User.Read.All
/// (403 Authorization_RequestDenied).
/// </summary>
public sealed partial class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(string Request, TimeSpan At, string? Authorization)> _requests = [];
    private readonly TimeProvider _clock;
    private readonly long _started;
    private int _throttles;

    private FakeGraph(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        _started = clock.GetTimestamp();
        _app.Run(HandleAsync);
    }

    private sealed record Reply(int Status, object Body, int? RetryAfter = null);

    public string BaseUrl { get; private set; } = "";

    public List<FakeGraphUser> Users { get; } = [];

    /// <summary>How many listing requests get a 429 before one is answered.</summary>
    public int ThrottleListings { get; set; }

    /// <summary>The Retry-After the 429 asks for, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Every request refused as an app without the permission.</summary>
    public bool Forbidden { get; set; }

    /// <summary>
    /// Every request as "METHOD /path?query", with when it arrived on the fake's clock (real time by default: the SDK's
    /// retry handler waits in real time) and its Authorization header.
    /// </summary>
    public IReadOnlyList<(string Request, TimeSpan At, string? Authorization)> Requests { get { lock (_lock) { return [.. _requests]; } } }

    /// <param name="clock">What <see cref="Requests"/> and <see cref="Batches"/> time arrivals with: a test's fake clock to see waits the bot makes on it.</param>
    public static async Task<FakeGraph> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeGraph(builder.Build(), clock ?? TimeProvider.System);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Urls.Single().TrimEnd('/') + "/v1.0";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private TimeSpan Now => _clock.GetElapsedTime(_started);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        lock (_lock)
        {
            _requests.Add(($"{context.Request.Method} {path}{Uri.UnescapeDataString(context.Request.QueryString.Value ?? "")}", Now,
                context.Request.Headers.Authorization.ToString()));
        }

        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await WriteAsync(context, Error(401, "InvalidAuthenticationToken", "Access token is empty."));
            return;
        }

        if (Forbidden)
        {
            await WriteAsync(context, Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
            return;
        }

        if (context.Request.Method == "POST" && path == "/v1.0/$batch")
        {
            await WriteAsync(context, await BatchAsync(context));
            return;
        }

        if (context.Request.Method == "GET" && path == "/v1.0/users" && Take(ref _throttles, ThrottleListings))
        {
            await WriteAsync(context, Throttled());
            return;
        }

        await WriteAsync(context, Answer(context.Request.Method, path, context.Request.QueryString.Value ?? ""));
    }

    /// <summary>True (and counted) while fewer than <paramref name="limit"/> were taken.</summary>
    private bool Take(ref int taken, int limit)
    {
        lock (_lock)
        {
            if (taken >= limit)
            {
                return false;
            }

            taken++;
            return true;
        }
    }

    private Reply Throttled() => Error(429, "TooManyRequests", "Too many requests.") with { RetryAfter = RetryAfterSeconds };

    /// <summary>One request, top level or inside a batch (<paramref name="path"/> with the version, <paramref name="query"/> with its '?').</summary>
    private Reply Answer(string method, string path, string query)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        if (method == "GET" && parts is ["v1.0", "users"])
        {
            return List(parameters);
        }

        if (method == "GET" && parts is ["v1.0", "users", var id, "mailboxSettings"])
        {
            var user = Users.FirstOrDefault(u => u.Id == id);
            return user?.MailboxTimeZone is null
                ? Error(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
                : new Reply(200, new Dictionary<string, object?>
                {
                    ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#users('{id}')/mailboxSettings(timeZone)",
                    ["timeZone"] = user.MailboxTimeZone,
                });
        }

        return Error(404, "Request_ResourceNotFound", $"Resource '{path}' does not exist.");
    }

    private Reply List(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var top = query.TryGetValue("$top", out var t) && int.TryParse(t, out var n) ? n : 100;
        var skip = query.TryGetValue("$skiptoken", out var k) && int.TryParse(k, out var m) ? m : 0;
        var expandManager = query.TryGetValue("$expand", out var e) && e.ToString().StartsWith("manager", StringComparison.Ordinal);
        var page = Users.Skip(skip).Take(top).Select(u =>
        {
            var json = new Dictionary<string, object?>
            {
                ["id"] = u.Id,
                ["displayName"] = u.DisplayName,
                ["accountEnabled"] = u.AccountEnabled,
                ["department"] = u.Department,
                ["jobTitle"] = u.JobTitle,
            };
            if (expandManager && Users.FirstOrDefault(m => m.Id == u.ManagerId) is { } manager)
            {
                json["manager"] = new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.user", ["id"] = manager.Id, ["displayName"] = manager.DisplayName };
            }

            return json;
        }).ToList();
        var body = new Dictionary<string, object?>
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,accountEnabled,department,jobTitle,manager(id,displayName))",
            ["value"] = page,
        };
        if (skip + top < Users.Count)
        {
            var rest = string.Join('&', query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
            body["@odata.nextLink"] = $"{BaseUrl}/users?{rest}&$skiptoken={skip + top}";
        }

        return new Reply(200, body);
    }

    private static Reply Error(int status, string code, string message) => new(status, new
    {
        error = new { code, message, innerError = new { date = "2026-11-27T00:00:00", requestId = Guid.NewGuid().ToString(), clientRequestId = Guid.NewGuid().ToString() } },
    });

    private static async Task WriteAsync(HttpContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(reply.Body));
    }
}
