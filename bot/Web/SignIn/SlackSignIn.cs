using AlignmentBot.Bot.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// Sign in with Slack: OpenID Connect against Slack (<c>/openid/connect/authorize</c>, then
/// <c>openid.connect.token</c>), whose id token names the workspace (<c>https://slack.com/team_id</c>) and the person
/// (<c>https://slack.com/user_id</c>). The same cookie session as Entra's; <see cref="SlackPeople"/> finds the person.
/// </summary>
public static class SlackSignIn
{
    public const string OpenIdScheme = "Slack";
    public const string CallbackPath = "/signin-slack";

    public static void AddSlackSignIn(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddOptions<SlackSignInOptions>().BindConfiguration(SlackSignInOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<SlackSignInOptions>, SlackSignInOptionsSetup>();
        services.AddSingleton<IValidateOptions<SlackSignInOptions>, SlackSignInOptionsValidator>();
        authentication.AddOpenIdConnect(OpenIdScheme, _ => { });

        services.AddOptions<OpenIdConnectOptions>(OpenIdScheme).Configure<IOptions<SlackSignInOptions>, TimeProvider>((o, slack, time) =>
        {
            var settings = slack.Value;
            var authority = settings.Authority.TrimEnd('/');
            o.Authority = authority;
            o.RequireHttpsMetadata = new Uri(authority).Scheme == Uri.UriSchemeHttps;
            // Placeholders while Slack sign-in is off, so the handler's own checks pass; it is never challenged then.
            o.ClientId = settings.ClientId.Length > 0 ? settings.ClientId : "not-configured";
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            // Slack documents the client secret for redeeming the code, not PKCE.
            o.UsePkce = false;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = EntraSignIn.CookieScheme;
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.TimeProvider = time;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = o.ClientId,
                ValidIssuer = authority,
                NameClaimType = "name",
                LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value - parameters.ClockSkew <= now) && expires is { } e && now < e + parameters.ClockSkew;
                },
            };
            o.Events.OnTokenValidated = context =>
            {
                // A token without the workspace and the person opens nothing.
                if (context.Principal is not { } principal || SlackPeople.Ids(principal) is null)
                {
                    context.Fail("The Slack id token names no workspace or person.");
                }

                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlackSignIn))
                    .LogWarning("Dashboard sign-in with Slack failed: {Reason}", LogText.Escape(context.Failure?.Message ?? "unknown"));
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("Sign-in with Slack failed. Go back to the dashboard to try again.", context.HttpContext.RequestAborted);
            };
        });
    }
}
