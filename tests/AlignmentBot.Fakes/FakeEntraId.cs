using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// Entra ID's token endpoint for client credentials (<c>POST /{tenant}/oauth2/v2.0/token</c>) on a loopback
/// port. MSAL only accepts https authorities, so tests keep the real authority and route MSAL's HttpClient
/// here with <see cref="LoopbackRedirectHandler"/>. It also signs people in with OpenID Connect (FakeEntraId.OpenIdConnect.cs).
/// </summary>
public sealed partial class FakeEntraId : IAsyncDisposable
{
    private static readonly int[] InvalidClientCodes = [7000215];
    private static readonly string[] PublicCloudAliases = ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"];

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<string> _requests = [];
    private readonly List<IReadOnlyDictionary<string, string>> _tokenRequests = [];
    private int _issued;

    private FakeEntraId(WebApplication app, string clientId, string clientSecret)
    {
        _app = app;
        ClientId = clientId;
        ClientSecret = clientSecret;
        _app.Run(HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary>The access token issued; <c>{n}</c> is replaced by the issue count.</summary>
    public string AccessTokenTemplate { get; set; } = "entra-token-{n}";

    public TimeSpan ExpiresIn { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every request as "METHOD /path?query", in order (to see what else MSAL asks for).</summary>
    public IReadOnlyList<string> Requests { get { lock (_lock) { return [.. _requests]; } } }

    /// <summary>The form fields of every token request (client_id, client_secret, scope, grant_type, ...).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests { get { lock (_lock) { return [.. _tokenRequests]; } } }

    public static async Task<FakeEntraId> StartAsync(string clientId, string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeEntraId(builder.Build(), clientId, clientSecret);
        await fake._app.StartAsync();
        fake.BaseAddress = new Uri(fake._app.Urls.Single().TrimEnd('/') + "/");
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
            _requests.Add($"{context.Request.Method} {path}{context.Request.QueryString}");
        }

        if (await TryOpenIdConnectAsync(context, path))
        {
            return;
        }

        if (context.Request.Method == "GET" && path == "/common/discovery/instance")
        {
            await DiscoverInstanceAsync(context);
            return;
        }

        if (context.Request.Method != "POST" || !path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) || !context.Request.HasFormContentType)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var form = (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        int issued;
        lock (_lock)
        {
            _tokenRequests.Add(form);
            issued = form.GetValueOrDefault("client_id") == ClientId && form.GetValueOrDefault("client_secret") == ClientSecret ? ++_issued : 0;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        if (issued == 0)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided.",
                ["error_codes"] = InvalidClientCodes,
            }), context.RequestAborted);
            return;
        }

        var seconds = (int)ExpiresIn.TotalSeconds;
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = AccessTokenTemplate.Replace("{n}", issued.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
        }), context.RequestAborted);
    }

    /// <summary>MSAL validates the authority first; this is what Entra answers for the public cloud.</summary>
    private static Task DiscoverInstanceAsync(HttpContext context)
    {
        var authorize = new Uri(context.Request.Query["authorization_endpoint"].ToString());
        var tenant = authorize.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["preferred_network"] = "login.microsoftonline.com",
                    ["preferred_cache"] = "login.windows.net",
                    ["aliases"] = PublicCloudAliases,
                },
            },
        }), context.RequestAborted);
    }
}
