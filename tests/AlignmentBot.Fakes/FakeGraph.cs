using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>One directory user as the fake Graph holds them.</summary>
public sealed record FakeGraphUser(string Id, string DisplayName, bool AccountEnabled = true, string? Department = null, string? JobTitle = null,
    string? ManagerId = null, string? MailboxTimeZone = null);

/// <summary>
/// Microsoft Graph v1.0 on a loopback port, for the SDK (its BaseUrl set to <see cref="BaseUrl"/>): <c>GET /users</c>
/// with $top paged by <c>@odata.nextLink</c> and <c>$expand=manager</c>, <c>GET /users/{id}/mailboxSettings</c>
/// (404 MailboxNotEnabledForRESTAPI without a mailbox), in the documented JSON shapes. It can throttle the first
/// listing once (429 with Retry-After) and refuse everything as an app without User.Read.All (403 Authorization_RequestDenied).
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(string Request, TimeSpan At, string? Authorization)> _requests = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _throttles;

    private FakeGraph(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    public string BaseUrl { get; private set; } = "";

    public List<FakeGraphUser> Users { get; } = [];

    /// <summary>How many listing requests get a 429 before one is answered.</summary>
    public int ThrottleListings { get; set; }

    /// <summary>The Retry-After the 429 asks for, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Every request refused as an app without the permission.</summary>
    public bool Forbidden { get; set; }

    /// <summary>Every request as "METHOD /path?query", with when it arrived (real time: the SDK's retry waits in real time) and its Authorization header.</summary>
    public IReadOnlyList<(string Request, TimeSpan At, string? Authorization)> Requests { get { lock (_lock) { return [.. _requests]; } } }

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeGraph(builder.Build());
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Urls.Single().TrimEnd('/') + "/v1.0";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        lock (_lock)
        {
            _requests.Add(($"{context.Request.Method} {path}{Uri.UnescapeDataString(context.Request.QueryString.Value ?? "")}", _clock.Elapsed,
                context.Request.Headers.Authorization.ToString()));
        }

        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "InvalidAuthenticationToken", "Access token is empty.");
            return;
        }

        if (Forbidden)
        {
            await ErrorAsync(context, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            return;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method == "GET" && parts is ["v1.0", "users"])
        {
            bool throttle;
            lock (_lock)
            {
                throttle = _throttles < ThrottleListings;
                _throttles += throttle ? 1 : 0;
            }

            if (throttle)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorAsync(context, 429, "TooManyRequests", "Too many requests.");
                return;
            }

            await ListAsync(context);
            return;
        }

        if (context.Request.Method == "GET" && parts is ["v1.0", "users", var id, "mailboxSettings"])
        {
            var user = Users.FirstOrDefault(u => u.Id == id);
            if (user?.MailboxTimeZone is null)
            {
                await ErrorAsync(context, 404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
                return;
            }

            await WriteAsync(context, 200, new Dictionary<string, object?>
            {
                ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#users('{id}')/mailboxSettings(timeZone)",
                ["timeZone"] = user.MailboxTimeZone,
            });
            return;
        }

        await ErrorAsync(context, 404, "Request_ResourceNotFound", $"Resource '{path}' does not exist.");
    }

    private async Task ListAsync(HttpContext context)
    {
        var top = int.TryParse(context.Request.Query["$top"], out var t) ? t : 100;
        var skip = int.TryParse(context.Request.Query["$skiptoken"], out var s) ? s : 0;
        var expandManager = context.Request.Query["$expand"].ToString().StartsWith("manager", StringComparison.Ordinal);
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
            var query = string.Join('&', context.Request.Query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
            body["@odata.nextLink"] = $"{BaseUrl}/users?{query}&$skiptoken={skip + top}";
        }

        await WriteAsync(context, 200, body);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) => WriteAsync(context, status, new
    {
        error = new { code, message, innerError = new { date = "2026-11-27T00:00:00", requestId = Guid.NewGuid().ToString(), clientRequestId = Guid.NewGuid().ToString() } },
    });

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
