using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>
/// Sign in with Slack's OpenID Connect side on a loopback port, as Slack documents it: the discovery document, the
/// signing keys (<c>/openid/connect/keys</c>), <c>/openid/connect/authorize</c> (the person in <see cref="User"/>
/// counts as signed in to Slack) and <c>openid.connect.token</c> redeeming a single-use code (client id and secret,
/// redirect URI checked; failures are HTTP 200 <c>ok:false</c>) for an RS256 id token with the nonce and the
/// <c>https://slack.com/team_id</c> and <c>https://slack.com/user_id</c> claims. Its issuer is its own address,
/// standing in for <c>https://slack.com</c>.
/// </summary>
public sealed class FakeSlackOpenId : IAsyncDisposable
{
    /// <summary>Whoever is signed in to Slack in the browser.</summary>
    public sealed record SlackUser(string TeamId, string UserId, string Name);

    private sealed record PendingCode(SlackUser User, string RedirectUri, string? Nonce);

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyDictionary<string, string>> _tokenRequests = [];

    private FakeSlackOpenId(WebApplication app, string clientId, string clientSecret)
    {
        _app = app;
        ClientId = clientId;
        ClientSecret = clientSecret;
        _app.Run(HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The issuer the app configures as Slack's authority (no trailing slash, as https://slack.com).</summary>
    public string Issuer => BaseAddress.ToString().TrimEnd('/');

    public string ClientId { get; }

    public string ClientSecret { get; }

    public SlackUser? User { get; set; }

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "fake-slack-1" };

    /// <summary>When set, id tokens are signed with this unpublished key (a forgery).</summary>
    public RsaSecurityKey? ForgeWith { get; set; }

    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, the id token's audience (another app's client id).</summary>
    public string? AudienceOverride { get; set; }

    /// <summary>When set, the id token carries this nonce instead of the one the app sent (a replayed token).</summary>
    public string? NonceOverride { get; set; }

    /// <summary>The form fields of every openid.connect.token request.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests { get { lock (_lock) { return [.. _tokenRequests]; } } }

    public static async Task<FakeSlackOpenId> StartAsync(string clientId, string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeSlackOpenId(builder.Build(), clientId, clientSecret);
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
        switch (context.Request.Method, path)
        {
            case ("GET", "/.well-known/openid-configuration"):
                await WriteJsonAsync(context, Discovery());
                return;
            case ("GET", "/openid/connect/keys"):
                var key = SigningKey.Rsa.ExportParameters(false);
                await WriteJsonAsync(context, new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = SigningKey.KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } } });
                return;
            case ("GET", "/openid/connect/authorize"):
                Authorize(context);
                return;
            case ("POST", "/api/openid.connect.token") when context.Request.HasFormContentType:
                await RedeemAsync(context);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private Dictionary<string, object> Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = $"{Issuer}/openid/connect/authorize",
        ["token_endpoint"] = $"{Issuer}/api/openid.connect.token",
        ["userinfo_endpoint"] = $"{Issuer}/api/openid.connect.userInfo",
        ["jwks_uri"] = $"{Issuer}/openid/connect/keys",
        ["scopes_supported"] = new[] { "openid", "profile", "email" },
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "form_post" },
        ["grant_types_supported"] = new[] { "authorization_code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        ["claims_supported"] = new[] { "sub", "auth_time", "iss" },
    };

    private void Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        var redirect = query["redirect_uri"].ToString();
        var scopes = query["scope"].ToString().Split(' ');
        if (query["client_id"] != ClientId || query["response_type"] != "code" || !scopes.Contains("openid") || !Uri.TryCreate(redirect, UriKind.Absolute, out _)
            || User is not { } user)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        lock (_lock)
        {
            _codes[code] = new PendingCode(user, redirect, query["nonce"].FirstOrDefault());
        }

        context.Response.Redirect($"{redirect}{(redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task RedeemAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (context.Request.Headers.Authorization.ToString() is { } basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).Split(':', 2);
            form["client_id"] = Uri.UnescapeDataString(pair[0]);
            form["client_secret"] = Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? "");
        }

        PendingCode? pending;
        lock (_lock)
        {
            _tokenRequests.Add(form);
            _codes.Remove(form.GetValueOrDefault("code") ?? "", out pending);
        }

        var error = form.GetValueOrDefault("client_id") != ClientId ? "invalid_client_id"
            : form.GetValueOrDefault("client_secret") != ClientSecret ? "bad_client_secret"
            : pending is null ? "invalid_code"
            : form.GetValueOrDefault("redirect_uri") != pending.RedirectUri ? "bad_redirect_uri"
            : null;
        if (error is not null || pending is null)
        {
            await WriteJsonAsync(context, new { ok = false, error });
            return;
        }

        var now = Clock.GetUtcNow();
        var user = pending.User;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.UserId,
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["https://slack.com/user_id"] = user.UserId,
            ["https://slack.com/team_id"] = user.TeamId,
            ["name"] = user.Name,
        };
        if ((NonceOverride ?? pending.Nonce) is { } nonce)
        {
            claims["nonce"] = nonce;
        }

        var idToken = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = AudienceOverride ?? ClientId,
            IssuedAt = now.UtcDateTime,
            Expires = now.Add(IdTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(ForgeWith ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
        await WriteJsonAsync(context, new { ok = true, access_token = "xoxp-fake-openid", token_type = "Bearer", id_token = idToken });
    }

    private static Task WriteJsonAsync(HttpContext context, object body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
