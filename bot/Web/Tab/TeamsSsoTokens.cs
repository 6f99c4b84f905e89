using System.Security.Claims;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Web.SignIn;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>
/// Checks a Teams SSO token (what <c>authentication.getAuthToken()</c> gives the tab): an Entra v2.0 access token,
/// signed by a key in Entra's OpenID Connect metadata (the dashboard's authority), issued by the tenant it names,
/// for the app id URI <c>api://{host}/botid-{app id}</c> with the tab's scope, and not expired on the bot's clock.
/// </summary>
public sealed class TeamsSsoTokens
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly TokenValidationParameters _parameters;
    private readonly string _scope;
    private readonly ILogger<TeamsSsoTokens> _logger;

    public TeamsSsoTokens(IOptions<DashboardOptions> dashboard, IOptions<TeamsTabOptions> tab, IHttpClientFactory http, TimeProvider time, ILogger<TeamsSsoTokens> logger)
    {
        var authority = new Uri(dashboard.Value.Authority.TrimEnd('/') + "/");
        var retriever = new HttpDocumentRetriever(http.CreateClient(nameof(TeamsSsoTokens))) { RequireHttps = authority.Scheme == Uri.UriSchemeHttps };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(new Uri(authority, ".well-known/openid-configuration").ToString(), new OpenIdConnectConfigurationRetriever(), retriever);
        _scope = tab.Value.Scope;
        _logger = logger;
        _parameters = new TokenValidationParameters
        {
            // v2.0 access tokens name the API by its client id; Teams may also put the app id URI there (v1.0 style).
            ValidAudiences = [TeamsTabOptions.ApplicationIdUri(tab.Value.Host, dashboard.Value.ClientId), dashboard.Value.ClientId],
            IssuerValidator = EntraSignIn.TenantIssuer(authority),
            NameClaimType = "name",
            RoleClaimType = "roles",
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore.Value - parameters.ClockSkew <= now) && expires is { } e && now < e + parameters.ClockSkew;
            },
        };
    }

    /// <summary>The person the token names (tid, oid, name, roles), or null when it is not a good SSO token for this tab.</summary>
    public async Task<ClaimsPrincipal?> ValidateAsync(string token, CancellationToken ct)
    {
        var metadata = await _metadata.GetConfigurationAsync(ct);
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = metadata.SigningKeys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Entra may have rolled its keys: read them again before the next token (a forgery stays refused).
                _metadata.RequestRefresh();
            }

            // The reason, never the token (IdentityModel keeps token contents out of its messages).
            _logger.LogWarning("Teams SSO token refused: {Reason}", LogText.Escape(result.Exception?.Message ?? "invalid"));
            return null;
        }

        var claims = result.Claims;
        string? Text(string name) => claims.TryGetValue(name, out var value) ? value as string : null;
        var scopes = Text("scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (!scopes.Contains(_scope, StringComparer.Ordinal) || Text("tid") is not { Length: > 0 } tenant || Text("oid") is not { Length: > 0 } objectId)
        {
            // An id token or an app-only token has no user scope: it does not open a person's session.
            _logger.LogWarning("Teams SSO token refused: it is not a user token with the {Scope} scope", LogText.Escape(_scope));
            return null;
        }

        var identity = new ClaimsIdentity(TeamsTabSession.CookieScheme, "name", "roles");
        identity.AddClaim(new Claim("tid", tenant));
        identity.AddClaim(new Claim("oid", objectId));
        identity.AddClaim(new Claim("name", Text("name") ?? ""));
        foreach (var role in result.ClaimsIdentity.FindAll("roles"))
        {
            identity.AddClaim(new Claim("roles", role.Value));
        }

        return new ClaimsPrincipal(identity);
    }
}
