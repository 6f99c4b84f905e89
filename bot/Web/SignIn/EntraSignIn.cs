using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.KeyRing;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// Sign-in for the dashboard: OpenID Connect with Microsoft Entra ID (authorization code + PKCE), then a cookie
/// session of our own. The id token's <c>tid</c> and <c>oid</c> name the person; <see cref="DashboardViewer"/> finds
/// them in the directory on every request, so a change there (a new manager, a leaver) counts at once.
/// </summary>
public static class EntraSignIn
{
    public const string CookieScheme = "Dashboard";
    public const string OpenIdScheme = "Entra";
    public const string CallbackPath = "/signin-oidc";

    /// <summary>The session: the dashboard's cookie, or the Teams tab's on the tab's own paths (see <see cref="SessionSchemes"/>).</summary>
    public const string SessionScheme = "Session";

    /// <summary>Who asks a person without a session to sign in: Entra, the sign-in page, or (in a tab) Teams SSO.</summary>
    public const string ChallengeScheme = "SignIn";

    public static void AddEntraSignIn(this IServiceCollection services)
    {
        services.AddSharedKeyRing();

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = SessionScheme;
                o.DefaultChallengeScheme = ChallengeScheme;
            })
            .AddCookie(CookieScheme)
            .AddOpenIdConnect(OpenIdScheme, _ => { });
        SessionSchemes.Add(authentication);
        authentication.AddSlackSignIn();

        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DashboardOptions>>((o, dashboard) =>
        {
            o.Cookie.Name = ".AlignmentBot.Dashboard";
            // Only when Slack is offered too does a page without a session go here first (see SessionSchemes).
            o.LoginPath = SignInPage.Path;
            o.Cookie.HttpOnly = true;
            // Lax: the cookie still comes along when someone follows a link to a dashboard from chat or mail.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = dashboard.Value.SessionLifetime;
            o.SlidingExpiration = true;
            // A page asked for without a session goes to Entra (the challenge); a refusal is the page's own 403.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddOptions<OpenIdConnectOptions>(OpenIdScheme).Configure<IOptions<DashboardOptions>, TimeProvider>((o, dashboard, time) =>
        {
            var settings = dashboard.Value;
            o.Authority = settings.Authority;
            o.RequireHttpsMetadata = new Uri(settings.Authority).Scheme == Uri.UriSchemeHttps;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be SameSite=Lax (a
            // form_post callback would need SameSite=None, which browsers refuse without https).
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = CookieScheme;
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.TimeProvider = time;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = settings.ClientId,
                NameClaimType = "name",
                RoleClaimType = "roles",
                IssuerValidator = TenantIssuer(new Uri(settings.Authority)),
                // The token's lifetime on the app's clock (tests drive it), with the usual five minutes of skew.
                LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value - parameters.ClockSkew <= now) && expires is { } e && now < e + parameters.ClockSkew;
                },
            };
            // A failed sign-in (a forged or expired token, a refused consent) is a plain 401, not an exception page.
            o.Events.OnRemoteFailure = context =>
            {
                // The reason, never a token (IdentityModel keeps token contents out of its messages).
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EntraSignIn))
                    .LogWarning("Dashboard sign-in failed: {Reason}", LogText.Escape(context.Failure?.Message ?? "unknown"));
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("Sign-in failed. Go back to the dashboard to try again.", context.HttpContext.RequestAborted);
            };
        });
    }

    /// <summary>
    /// Entra's issuer is <c>{authority host}/{tenant id}/v2.0</c> (its multi-tenant metadata says so with a
    /// <c>{tenantid}</c> placeholder): a token is from the tenant it names (<c>tid</c>) only when its issuer is exactly
    /// that, on the configured authority's host.
    /// </summary>
    internal static IssuerValidator TenantIssuer(Uri authority) => (issuer, token, _) =>
    {
        var tenant = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        if (tenant is { Length: > 0 } && !tenant.Contains('/', StringComparison.Ordinal)
            && string.Equals(issuer, $"{authority.GetLeftPart(UriPartial.Authority)}/{tenant}/v2.0", StringComparison.Ordinal))
        {
            return issuer;
        }

        throw new SecurityTokenInvalidIssuerException("The id token's issuer is not its own tenant's.");
    };
}
