using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>
/// <c>oauth.v2.access</c> as Slack documents it: the client id and secret by HTTP Basic (or as form fields), a
/// single-use <c>code</c> (and the <c>redirect_uri</c> it was issued for), or with token rotation on,
/// <c>grant_type=refresh_token</c> and the current refresh token, which is used up by the refresh. Failures are
/// HTTP 200 <c>ok:false</c> with Slack's codes (<c>invalid_client_id</c>, <c>bad_client_secret</c>, <c>invalid_code</c>,
/// <c>bad_redirect_uri</c>, <c>invalid_refresh_token</c>, <c>invalid_grant_type</c>). A rotating token is accepted by
/// the other methods until it expires (<c>token_expired</c> after).
/// </summary>
public sealed partial class FakeSlackWebApi
{
    private readonly Dictionary<string, DateTimeOffset?> _issued = new(StringComparer.Ordinal);
    private string? _refreshToken;
    private int _issuedCount;
    private int _refreshes;

    /// <summary>The one code <c>oauth.v2.access</c> accepts (once).</summary>
    public string? OAuthCode { get; set; }

    /// <summary>When set, the <c>redirect_uri</c> the code was issued for (anything else: <c>bad_redirect_uri</c>).</summary>
    public string? ExpectedRedirectUri { get; set; }

    /// <summary>The app has token rotation on: tokens expire after <see cref="TokenLifetime"/> and come with a refresh token.</summary>
    public bool TokenRotation { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
    public string TeamName { get; set; } = "Fake workspace";
    public string? EnterpriseId { get; set; }

    /// <summary>Answers the code with an org-wide Enterprise Grid install (<c>team: null</c>).</summary>
    public bool EnterpriseInstall { get; set; }

    /// <summary>Refreshes Slack granted.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>The bot token handed out last by <c>oauth.v2.access</c>.</summary>
    public string? LastIssuedToken { get; private set; }

    /// <summary>Null when the bearer token is one this fake issued and it has not expired; else Slack's error.</summary>
    private string? TokenError(string authorization)
    {
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
        lock (_lock)
        {
            return !_issued.TryGetValue(token, out var expires) ? "invalid_auth"
                : expires is { } at && _time.GetUtcNow() >= at ? "token_expired"
                : null;
        }
    }

    private JsonObject OAuth(HttpContext http, JsonObject body)
    {
        var (id, secret) = Credentials(http.Request.Headers.Authorization.ToString(), body);
        if (id != ClientId)
        {
            return Error("invalid_client_id");
        }

        if (secret != ClientSecret)
        {
            return Error("bad_client_secret");
        }

        lock (_lock)
        {
            switch (Str(body, "grant_type"))
            {
                case null or "authorization_code":
                    if (OAuthCode is null || Str(body, "code") != OAuthCode)
                    {
                        return Error("invalid_code");
                    }

                    if (ExpectedRedirectUri is not null && Str(body, "redirect_uri") != ExpectedRedirectUri)
                    {
                        return Error("bad_redirect_uri");
                    }

                    OAuthCode = null;
                    return Issue();
                case "refresh_token":
                    if (_refreshToken is null || Str(body, "refresh_token") != _refreshToken)
                    {
                        return Error("invalid_refresh_token");
                    }

                    _refreshes++;
                    return Issue();
                default:
                    return Error("invalid_grant_type");
            }
        }
    }

    /// <summary>HTTP Basic when sent (Slack's preference), else the form fields.</summary>
    private static (string? Id, string? Secret) Credentials(string authorization, JsonObject body)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (Str(body, "client_id"), Str(body, "client_secret"));
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (pair, null) : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private JsonObject Issue()
    {
        var n = ++_issuedCount;
        var answer = new JsonObject
        {
            ["app_id"] = "A0FAKE",
            ["authed_user"] = new JsonObject { ["id"] = "U0INSTALLER" },
            ["scope"] = "app_mentions:read,channels:read,chat:write,commands,groups:read,im:history,im:write,users:read,users:read.email",
            ["token_type"] = "bot",
            ["bot_user_id"] = BotUserId,
            ["team"] = EnterpriseInstall ? null : new JsonObject { ["id"] = TeamId, ["name"] = TeamName },
            ["enterprise"] = EnterpriseId is null ? null : new JsonObject { ["id"] = EnterpriseId, ["name"] = "Fake org" },
            ["is_enterprise_install"] = EnterpriseInstall,
        };
        if (TokenRotation)
        {
            var token = string.Create(CultureInfo.InvariantCulture, $"xoxe.xoxb-1-fake-rotating-{n}");
            _issued[token] = _time.GetUtcNow() + TokenLifetime;
            _refreshToken = string.Create(CultureInfo.InvariantCulture, $"xoxe-1-fake-refresh-{n}");
            answer["access_token"] = token;
            answer["refresh_token"] = _refreshToken;
            answer["expires_in"] = (long)TokenLifetime.TotalSeconds;
            LastIssuedToken = token;
        }
        else
        {
            answer["access_token"] = BotToken;
            LastIssuedToken = BotToken;
        }

        return Ok(answer);
    }
}
