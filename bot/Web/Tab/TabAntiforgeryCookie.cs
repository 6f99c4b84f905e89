using Microsoft.AspNetCore.Antiforgery;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>
/// The antiforgery cookie as the dashboard sets it (SameSite=Strict), except on the tab's pages: Teams shows them in
/// its own frame, where a browser sends only SameSite=None (hence Secure) cookies, so a Strict token cookie would never
/// come back and every form in the tab (a manager's focus, the check-in history's links) would fail with 400. The
/// token in the form still has to match it, which is what stops another site's forms. Partitioned, like the tab's
/// session cookie, so browsers that block third-party cookies keep it inside Teams.
/// </summary>
public sealed class TabAntiforgeryCookie : CookieBuilder
{
    /// <summary>Replaces the antiforgery cookie with one that keeps everything the defaults and settings chose.</summary>
    public static void Use(AntiforgeryOptions options)
    {
        var cookie = options.Cookie;
        options.Cookie = new TabAntiforgeryCookie
        {
            Name = cookie.Name,
            Path = cookie.Path,
            Domain = cookie.Domain,
            HttpOnly = cookie.HttpOnly,
            IsEssential = cookie.IsEssential,
            SameSite = cookie.SameSite,
            SecurePolicy = cookie.SecurePolicy,
            Expiration = cookie.Expiration,
            MaxAge = cookie.MaxAge,
        };
    }

    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        if (TeamsTabPaths.IsTab(context))
        {
            options.SameSite = SameSiteMode.None;
            options.Secure = true;
            options.Extensions.Add("Partitioned");
        }

        return options;
    }
}
