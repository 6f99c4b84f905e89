using System.Collections.Concurrent;
using System.Text.Json;
using AlignmentBot.Bot.Hosting;
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
/// Cheap per request: the token is parsed once, the keys' validation parameters are built once per fetch,
/// and a token already verified is only checked for its lifetime (scripts/bench/token.sh measures it).
/// </summary>
public sealed class BotFrameworkAuthenticator : IInboundAuthenticator, IDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string HttpClientName = "Teams.OpenIdMetadata";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    /// <summary>How long fetched signing keys are trusted before they are fetched again.</summary>
    public static readonly TimeSpan MetadataLifetime = TimeSpan.FromHours(12);

    /// <summary>At most one forced refresh (for an unknown kid) this often, so random kids cannot hammer the metadata host.</summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly TeamsOptions _options;
    private readonly ServiceUrlAllowList _allowList;
    private readonly TimeProvider _time;
    private readonly HttpDocumentRetriever _retriever;
    private readonly JsonWebTokenHandler _handler = new();
    private volatile CachedMetadata? _metadata;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    // One fetch at a time: requests that need fresh keys while a fetch runs wait for it and use its result.
    private readonly SemaphoreSlim _fetching = new(1, 1);

    // Tokens already verified, by their exact text: the Bot Connector reuses one token for many activities (about
    // an hour), so a repeated token costs a dictionary lookup and the lifetime check. Emptied whenever the keys
    // are fetched again, so a key withdrawn from the metadata stops its tokens then.
    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);
    private const int MaxVerifiedTokens = 10_000;
    private readonly ConcurrentDictionary<string, AuthenticationOutcome> _serviceUrls = new(StringComparer.Ordinal);

    /// <summary>A published key with what validating against it needs, built once per fetch.</summary>
    private sealed record SigningKey(JsonWebKey Key, IReadOnlyList<string> Endorsements, TokenValidationParameters Parameters);

    private sealed record CachedMetadata(IReadOnlyDictionary<string, SigningKey> Keys, DateTimeOffset FetchedAt);

    private sealed record VerifiedToken(Task<TokenCheck> Check, DateTime? NotBefore, DateTime Expires, CachedMetadata Metadata);

    public BotFrameworkAuthenticator(IOptions<TeamsOptions> options, ServiceUrlAllowList allowList, IHttpClientFactory http, TimeProvider time)
    {
        _options = options.Value;
        _allowList = allowList;
        _time = time;
        // Plain http is accepted only for a loopback metadata server (tests); the options validator enforces https otherwise.
        _retriever = new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = !new Uri(_options.OpenIdMetadataUrl).IsLoopback };
    }

    public Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken ct)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.Ordinal) ||
            authorizationHeader.Length == scheme.Length || authorizationHeader.AsSpan(scheme.Length).Contains(' '))
        {
            return Task.FromResult(TokenCheck.Fail("the Authorization header is missing or not \"Bearer <token>\""));
        }

        // A token seen before: found by its text without copying it, answered without a new task.
        if (_verified.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(authorizationHeader.AsSpan(scheme.Length), out var verified) &&
            ReferenceEquals(verified.Metadata, _metadata))
        {
            return WithinLifetime(verified.NotBefore, verified.Expires, _time.GetUtcNow().UtcDateTime)
                ? verified.Check
                : Task.FromResult(TokenCheck.Fail("token rejected: SecurityTokenInvalidLifetimeException"));
        }

        return VerifyAsync(authorizationHeader[scheme.Length..], ct);
    }

    private async Task<TokenCheck> VerifyAsync(string raw, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
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
            return TokenCheck.Fail($"algorithm \"{LogText.Escape(token.Alg)}\" is not allowed");
        }

        (SigningKey? Key, CachedMetadata? Metadata) found;
        try
        {
            found = await FindKeyAsync(token.Kid, now, ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HttpRequestException or ArgumentException)
        {
            // Without the published keys nothing can be verified; refuse rather than trust.
            return TokenCheck.Fail($"the signing keys could not be fetched from {_options.OpenIdMetadataUrl}: {ex.Message}");
        }

        if (found is not ({ } key, { } metadata))
        {
            return TokenCheck.Fail($"signing key \"{LogText.Escape(token.Kid)}\" is not published by {_options.OpenIdMetadataUrl}");
        }

        // The token as read above: validating it does not parse the text again.
        var result = await _handler.ValidateTokenAsync(token, key.Parameters);
        if (!result.IsValid)
        {
            return TokenCheck.Fail($"token rejected: {result.Exception?.GetType().Name ?? "invalid"}");
        }

        var check = new TokenCheck(true, null)
        {
            Endorsements = key.Endorsements,
            ServiceUrl = token.TryGetPayloadValue<string>("serviceurl", out var serviceUrl) ? serviceUrl : null,
        };
        if (_verified.Count >= MaxVerifiedTokens)
        {
            _verified.Clear();
        }

        _verified[raw] = new VerifiedToken(Task.FromResult(check), token.ValidFrom == DateTime.MinValue ? null : token.ValidFrom, token.ValidTo, metadata);
        return check;
    }

    public AuthenticationOutcome ValidateActivity(TokenCheck token, string? channelId, string? serviceUrl)
    {
        if (!token.Succeeded)
        {
            return AuthenticationOutcome.Fail(token.FailureReason ?? "token not validated");
        }

        if (string.IsNullOrEmpty(channelId) || !token.Endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase))
        {
            return AuthenticationOutcome.Fail($"the signing key is not endorsed for channel \"{LogText.Escape(channelId)}\"");
        }

        if (token.ServiceUrl is null || !SameUrl(token.ServiceUrl, serviceUrl))
        {
            return AuthenticationOutcome.Fail("the token's serviceurl claim does not match the activity's serviceUrl");
        }

        // The verdict per serviceUrl is remembered: Teams uses a handful of them, and the options do not change.
        if (!_serviceUrls.TryGetValue(serviceUrl!, out var outcome))
        {
            outcome = _allowList.TryGetBase(serviceUrl, withToken: true, out _, out var reason)
                ? AuthenticationOutcome.Success
                : AuthenticationOutcome.Fail($"serviceUrl not allowed: {reason}");
            if (_serviceUrls.Count >= MaxVerifiedTokens)
            {
                _serviceUrls.Clear();
            }

            _serviceUrls[serviceUrl!] = outcome;
        }

        return outcome;
    }

    /// <summary>The key the token names, refreshing the cached metadata once if it is unknown (keys rotate).</summary>
    private async Task<(SigningKey? Key, CachedMetadata? Metadata)> FindKeyAsync(string? kid, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(kid))
        {
            return (null, null);
        }

        var cached = _metadata;
        if (cached is null || now - cached.FetchedAt > MetadataLifetime)
        {
            cached = await RefreshAsync(cached, forced: false, now, ct);
        }

        if (!cached.Keys.TryGetValue(kid, out var key))
        {
            cached = await RefreshAsync(cached, forced: true, now, ct);
            cached.Keys.TryGetValue(kid, out key);
        }

        return (key, cached);
    }

    /// <summary>
    /// Fetches the metadata unless another request did while this one waited (then its result is used), and a forced
    /// fetch at most once per <see cref="ForcedRefreshInterval"/>: many requests naming unknown kids cause one fetch.
    /// </summary>
    private async Task<CachedMetadata> RefreshAsync(CachedMetadata? seen, bool forced, DateTimeOffset now, CancellationToken ct)
    {
        await _fetching.WaitAsync(ct);
        try
        {
            var current = _metadata;
            if (current is not null && !ReferenceEquals(current, seen))
            {
                return current;
            }

            if (current is not null && forced)
            {
                if (now - _lastForcedRefresh < ForcedRefreshInterval)
                {
                    return current;
                }

                _lastForcedRefresh = now;
            }

            return await FetchAsync(now, ct);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<CachedMetadata> FetchAsync(DateTimeOffset now, CancellationToken ct)
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdMetadataUrl, _retriever, ct);
        var keys = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        foreach (var key in configuration.JsonWebKeySet?.Keys ?? [])
        {
            if (!string.IsNullOrEmpty(key.Kid))
            {
                keys.TryAdd(key.Kid, new SigningKey(key, Endorsements(key), Parameters(key)));
            }
        }

        var fetched = new CachedMetadata(keys, now);
        _metadata = fetched;
        _verified.Clear();
        return fetched;
    }

    private TokenValidationParameters Parameters(JsonWebKey key) => new()
    {
        ValidIssuer = BotFrameworkIssuer,
        ValidAudience = _options.AppId,
        IssuerSigningKey = key,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        LifetimeValidator = (notBefore, expires, _, _) => expires is { } exp && WithinLifetime(notBefore, exp, _time.GetUtcNow().UtcDateTime),
        ClockSkew = ClockSkew,
    };

    private static List<string> Endorsements(JsonWebKey key) =>
        key.AdditionalData.TryGetValue("endorsements", out var value) && value is JsonElement { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>Lifetime on the injected clock (IdentityModel's own check reads the system clock).</summary>
    private static bool WithinLifetime(DateTime? notBefore, DateTime expires, DateTime now) =>
        now <= expires + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);

    private static bool SameUrl(string a, string? b) =>
        b is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _fetching.Dispose();
}
