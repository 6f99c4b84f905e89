using AlignmentBot.Bot.Web.Tab;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// Which session a request is in, and who signs in someone without one. The Teams tab's pages (<c>/tab/…</c>, when the
/// tab is on) use their own cookie (SameSite=None, as it lives in Teams' frame) and sign in with Teams SSO; every other
/// page uses the dashboard's Lax cookie and sends the browser to Entra, or to the sign-in page when Slack is offered too.
/// </summary>
internal static class SessionSchemes
{
    public static void Add(AuthenticationBuilder authentication)
    {
        TeamsTabSession.AddCookie(authentication);
        authentication.AddPolicyScheme(EntraSignIn.SessionScheme, null, o => o.ForwardDefaultSelector = context =>
            TeamsTabPaths.IsTab(context) ? TeamsTabSession.CookieScheme : EntraSignIn.CookieScheme);
        authentication.AddPolicyScheme(EntraSignIn.ChallengeScheme, null, o => o.ForwardDefaultSelector = context =>
            TeamsTabPaths.IsTab(context) ? TeamsTabSession.CookieScheme
            : context.RequestServices.GetRequiredService<IOptions<SlackSignInOptions>>().Value.IsConfigured ? EntraSignIn.CookieScheme
            : EntraSignIn.OpenIdScheme);
    }
}
