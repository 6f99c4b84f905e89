using System.Text.Json;
using AlignmentBot.Bot.Teams.Connector;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Bot.Teams.Auth;

/// <summary>
/// Validates Bot Framework channel tokens (docs/teams.md, "Inbound"): a Bearer JWT signed with RS256/384/512
/// by a key from the Bot Framework's OpenID metadata (cached; refreshed once when a token names an
/// unknown key), issuer https://api.botframework.com, audience = our app id, lifetime with 5 minutes of
/// skew on the injected clock; then the signing key must be endorsed for the activity's channel, the
/// token's serviceurl claim must be the activity's serviceUrl, and that host must be one we trust.
/// </summary>
public sealed class BotFrameworkAuthenticator : IInboundAuthenticator
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string HttpClientName = "Teams.OpenIdMetadata";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    /// <summary>How long fetched signing keys are trusted before they are fetched again.</summary>
    public static readonly TimeSpan MetadataLifetime = TimeSpan.FromHours(12);

    /// <summary>At most one forced refresh (for an unknown kid) this often, so random kids cannot hammer the metadata host.</summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly TeamsOptions _options;
    private readonly ServiceUrlAllowList _allowList;
    private readonly TimeProvider _time;
    private readonly HttpDocumentRetriever _retriever;
    private readonly JsonWebTokenHandler _handler = new();
    private volatile CachedMetadata? _metadata;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    private sealed record CachedMetadata(OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt);

    public BotFrameworkAuthenticator(IOptions<TeamsOptions> options, ServiceUrlAllowList allowList, IHttpClientFactory http, TimeProvider time)
    {
        _options = options.Value;
        _allowList = allowList;
        _time = time;
        // Plain http is accepted only for a loopback metadata server (tests); the options validator enforces https otherwise.
        _retriever = new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = !new Uri(_options.OpenIdMetadataUrl).IsLoopback };
    }

    public async Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken ct)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.Ordinal) ||
            authorizationHeader.Length == scheme.Length || authorizationHeader.AsSpan(scheme.Length).Contains(' '))
        {
            return TokenCheck.Fail("the Authorization header is missing or not \"Bearer <token>\"");
        }

        var raw = authorizationHeader[scheme.Length..];
        if (!_handler.CanReadToken(raw))
        {
            return TokenCheck.Fail("the bearer token is not a JWT");
        }

        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException ex)
        {
            return TokenCheck.Fail($"the bearer token cannot be read ({ex.GetType().Name})");
        }

        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return TokenCheck.Fail($"algorithm \"{token.Alg}\" is not allowed");
        }

        JsonWebKey? key;
        try
        {
            key = await FindKeyAsync(token.Kid, ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HttpRequestException or ArgumentException)
        {
            // Without the published keys nothing can be verified; refuse rather than trust.
            return TokenCheck.Fail($"the signing keys could not be fetched from {_options.OpenIdMetadataUrl}: {ex.Message}");
        }

        if (key is null)
        {
            return TokenCheck.Fail($"signing key \"{token.Kid}\" is not published by {_options.OpenIdMetadataUrl}");
        }

        var result = await _handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            ValidIssuer = BotFrameworkIssuer,
            ValidAudience = _options.AppId,
            IssuerSigningKey = key,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = WithinLifetime,
            ClockSkew = ClockSkew,
        });
        if (!result.IsValid)
        {
            return TokenCheck.Fail($"token rejected: {result.Exception?.GetType().Name ?? "invalid"}");
        }

        return new TokenCheck(true, null)
        {
            Endorsements = Endorsements(key),
            ServiceUrl = token.TryGetPayloadValue<string>("serviceurl", out var serviceUrl) ? serviceUrl : null,
        };
    }

    public AuthenticationOutcome ValidateActivity(TokenCheck token, string? channelId, string? serviceUrl)
    {
        if (!token.Succeeded)
        {
            return AuthenticationOutcome.Fail(token.FailureReason ?? "token not validated");
        }

        if (string.IsNullOrEmpty(channelId) || !token.Endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase))
        {
            return AuthenticationOutcome.Fail($"the signing key is not endorsed for channel \"{channelId}\"");
        }

        if (token.ServiceUrl is null || !SameUrl(token.ServiceUrl, serviceUrl))
        {
            return AuthenticationOutcome.Fail("the token's serviceurl claim does not match the activity's serviceUrl");
        }

        return _allowList.TryGetBase(serviceUrl, withToken: true, out _, out var reason)
            ? AuthenticationOutcome.Success
            : AuthenticationOutcome.Fail($"serviceUrl not allowed: {reason}");
    }

    /// <summary>The key the token names, refreshing the cached metadata once if it is unknown (keys rotate).</summary>
    private async Task<JsonWebKey?> FindKeyAsync(string? kid, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(kid))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var cached = _metadata;
        if (cached is null || now - cached.FetchedAt > MetadataLifetime)
        {
            cached = await FetchAsync(now, ct);
        }

        var key = KeyById(cached.Configuration, kid);
        if (key is null && now - _lastForcedRefresh >= ForcedRefreshInterval)
        {
            _lastForcedRefresh = now;
            key = KeyById((await FetchAsync(now, ct)).Configuration, kid);
        }

        return key;
    }

    private async Task<CachedMetadata> FetchAsync(DateTimeOffset now, CancellationToken ct)
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdMetadataUrl, _retriever, ct);
        var fetched = new CachedMetadata(configuration, now);
        _metadata = fetched;
        return fetched;
    }

    private static JsonWebKey? KeyById(OpenIdConnectConfiguration configuration, string kid) =>
        configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == kid);

    private static List<string> Endorsements(JsonWebKey key) =>
        key.AdditionalData.TryGetValue("endorsements", out var value) && value is JsonElement { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>Lifetime on the injected clock (IdentityModel's own check reads the system clock).</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);
    }

    private static bool SameUrl(string a, string? b) =>
        b is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
