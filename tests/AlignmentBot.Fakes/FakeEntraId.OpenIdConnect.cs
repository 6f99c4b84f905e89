using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// Entra ID's OpenID Connect side for web sign-in, as documented for the v2.0 endpoint: the discovery document (with
/// the multi-tenant issuer template <c>…/{tenantid}/v2.0</c>), the signing keys, the authorize endpoint (the person
/// in <see cref="User"/> counts as already signed in, as in a browser with an Entra session) and the token endpoint
/// redeeming a code (client secret, redirect URI and PKCE verifier checked) for an RS256 id token with tid and oid.
/// </summary>
public sealed partial class FakeEntraId
{
    /// <summary>Whoever is signed in at the fake Entra: the next authorize request signs in as them.</summary>
    public sealed record SignedInUser(string TenantId, string ObjectId, string Name, IReadOnlyList<string>? Roles = null);

    private sealed record PendingCode(SignedInUser User, string ClientId, string RedirectUri, string? Nonce, string? Challenge);

    private readonly Dictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);

    public SignedInUser? User { get; set; }

    /// <summary>The clock id tokens are stamped with (the app's, in tests).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The key id tokens are signed with and published under.</summary>
    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "fake-entra-1" };

    /// <summary>When set, id tokens are signed with this key instead (a forgery: it is not published).</summary>
    public RsaSecurityKey? ForgeWith { get; set; }

    /// <summary>Lifetime of the id tokens issued.</summary>
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The authority an app configures: the multi-tenant "organizations" endpoint, or one tenant's.</summary>
    public string Authority(string tenant = "organizations") => new Uri(BaseAddress, $"{tenant}/v2.0").ToString();

    private async Task<bool> TryOpenIdConnectAsync(HttpContext context, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        if (method == "GET" && parts is [var tenant, "v2.0", ".well-known", "openid-configuration"])
        {
            await WriteJsonAsync(context, Discovery(tenant));
            return true;
        }

        if (method == "GET" && parts is ["discovery", "v2.0", "keys"])
        {
            var key = SigningKey.Rsa.ExportParameters(false);
            await WriteJsonAsync(context, new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["kid"] = SigningKey.KeyId, ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                    },
                },
            });
            return true;
        }

        if (method == "GET" && parts is [_, "oauth2", "v2.0", "authorize"])
        {
            Authorize(context);
            return true;
        }

        if (method == "POST" && parts is [_, "oauth2", "v2.0", "token"] && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form["grant_type"] == "authorization_code")
            {
                await RedeemAsync(context, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));
                return true;
            }
        }

        return false;
    }

    private Dictionary<string, object> Discovery(string tenant)
    {
        var issuerTenant = tenant is "organizations" or "common" ? "{tenantid}" : tenant;
        return new Dictionary<string, object>
        {
            ["issuer"] = new Uri(BaseAddress, $"{issuerTenant}/v2.0").ToString(),
            ["authorization_endpoint"] = new Uri(BaseAddress, $"{tenant}/oauth2/v2.0/authorize").ToString(),
            ["token_endpoint"] = new Uri(BaseAddress, $"{tenant}/oauth2/v2.0/token").ToString(),
            ["end_session_endpoint"] = new Uri(BaseAddress, $"{tenant}/oauth2/v2.0/logout").ToString(),
            ["jwks_uri"] = new Uri(BaseAddress, "discovery/v2.0/keys").ToString(),
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "nonce", "name", "preferred_username", "oid", "tid", "ver", "roles" },
        };
    }

    private void Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        var redirect = query["redirect_uri"].ToString();
        if (query["client_id"] != ClientId || query["response_type"] != "code" || !Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri))
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (User is not { } user)
        {
            // Entra would show its sign-in page; the fake has no one to sign in.
            context.Response.StatusCode = 400;
            return;
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        lock (_lock)
        {
            _codes[code] = new PendingCode(user, ClientId, redirect, query["nonce"].FirstOrDefault(), query["code_challenge"].FirstOrDefault());
        }

        var separator = string.IsNullOrEmpty(redirectUri.Query) ? "?" : "&";
        context.Response.Redirect($"{redirect}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task RedeemAsync(HttpContext context, Dictionary<string, string> form)
    {
        PendingCode? pending;
        lock (_lock)
        {
            _tokenRequests.Add(form);
            // A code is good once.
            _codes.Remove(form.GetValueOrDefault("code") ?? "", out pending);
        }

        var verifier = form.GetValueOrDefault("code_verifier") ?? "";
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (pending is null || form.GetValueOrDefault("client_id") != pending.ClientId || form.GetValueOrDefault("client_secret") != ClientSecret
            || form.GetValueOrDefault("redirect_uri") != pending.RedirectUri || (pending.Challenge is not null && challenge != pending.Challenge))
        {
            context.Response.StatusCode = 400;
            await WriteJsonAsync(context, new Dictionary<string, object> { ["error"] = "invalid_grant", ["error_description"] = "AADSTS70000: The code, client or verifier is not valid." });
            return;
        }

        var now = Clock.GetUtcNow();
        var user = pending.User;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = $"pairwise-{user.ObjectId}",
            ["oid"] = user.ObjectId,
            ["tid"] = user.TenantId,
            ["name"] = user.Name,
            ["preferred_username"] = $"{user.ObjectId}@example.test",
            ["ver"] = "2.0",
        };
        if (pending.Nonce is { } nonce)
        {
            claims["nonce"] = nonce;
        }

        if (user.Roles is { Count: > 0 } roles)
        {
            claims["roles"] = roles.ToArray();
        }

        var idToken = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = new Uri(BaseAddress, $"{user.TenantId}/v2.0").ToString(),
            Audience = pending.ClientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(IdTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(ForgeWith ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
        await WriteJsonAsync(context, new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = "openid profile",
            ["expires_in"] = ((int)IdTokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["access_token"] = "fake-graph-access-token",
            ["id_token"] = idToken,
        });
    }

    private static Task WriteJsonAsync(HttpContext context, object body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
