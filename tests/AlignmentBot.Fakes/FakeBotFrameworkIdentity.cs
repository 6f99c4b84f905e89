using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Teams.Auth;

/// <summary>
/// The Bot Framework's identity side, in-process: an OpenID metadata document and a JWKS (RSA keys
/// with endorsements) on a real loopback HTTP server, and a factory for channel tokens signed with them.
/// Keys can be rotated in, and metadata requests are counted.
/// </summary>
public sealed class FakeBotFrameworkIdentity : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(RsaSecurityKey Key, string[] Endorsements)> _published = [];
    private int _metadataRequests;

    private FakeBotFrameworkIdentity(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string MetadataUrl => new Uri(BaseAddress, "/v1/.well-known/openidconfiguration").ToString();

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>The key tokens are signed with unless a test says otherwise.</summary>
    public RsaSecurityKey SigningKey { get; private set; } = null!;

    public static async Task<FakeBotFrameworkIdentity> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var identity = new FakeBotFrameworkIdentity(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref identity._metadataRequests);
            return Results.Json(new
            {
                issuer = Issuer,
                authorization_endpoint = "https://invalid.botframework.com",
                jwks_uri = new Uri(identity.BaseAddress, "/v1/.well-known/keys").ToString(),
                id_token_signing_alg_values_supported = new[] { "RS256" },
                token_endpoint_auth_methods_supported = new[] { "private_key_jwt" },
            });
        });
        app.MapGet("/v1/.well-known/keys", () => Results.Json(new { keys = identity.Jwks() }));
        await app.StartAsync();
        identity.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        identity.SigningKey = identity.Publish("msteams");
        return identity;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    /// <summary>Adds a key to the published JWKS, endorsed for the given channels.</summary>
    public RsaSecurityKey Publish(params string[] endorsements)
    {
        var key = NewKey();
        lock (_lock)
        {
            _published.Add((key, endorsements));
        }

        return key;
    }

    /// <summary>A channel token; every claim and the key can be overridden to make it wrong.</summary>
    public string IssueToken(
        string audience,
        string serviceUrl,
        DateTimeOffset now,
        string issuer = Issuer,
        TimeSpan? lifetime = null,
        DateTimeOffset? notBefore = null,
        RsaSecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(1)).UtcDateTime,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl, ["appid"] = "d6d49420-f39b-4df7-a1dc-d59a935871db" },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string UnsignedToken(string audience, string serviceUrl, DateTimeOffset now)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var header = Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Encode($$"""{"iss":"{{Issuer}}","aud":"{{audience}}","serviceurl":"{{serviceUrl}}","nbf":{{now.AddMinutes(-1).ToUnixTimeSeconds()}},"exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>Flips a character in the signature.</summary>
    public static string Tamper(string token)
    {
        var signatureStart = token.LastIndexOf('.') + 1;
        var chars = token.ToCharArray();
        chars[signatureStart + 5] = chars[signatureStart + 5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private List<Dictionary<string, object>> Jwks()
    {
        lock (_lock)
        {
            return _published.Select(p =>
            {
                var parameters = p.Key.Rsa.ExportParameters(false);
                return new Dictionary<string, object>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = p.Key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    ["endorsements"] = p.Endorsements,
                };
            }).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
