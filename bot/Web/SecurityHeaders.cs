using AlignmentBot.Bot.Web.Tab;

namespace AlignmentBot.Bot.Web;

/// <summary>
/// Headers on every response while the dashboard is on. The pages run no script at all, so the policy allows none;
/// styles and images come from the bot itself; only the bot may frame its pages. The Teams tab's pages (<c>/tab/…</c>,
/// when the tab is on) are the exception: they run the bot's own scripts, and exactly Teams' and Microsoft 365's
/// hosts may frame them.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

    /// <summary>
    /// The hosts Microsoft's tab requirements list for frame-ancestors: all Microsoft 365 hosts (*.cloud.microsoft),
    /// Teams, the Microsoft 365 app and Outlook.
    /// </summary>
    public static readonly IReadOnlyList<string> TeamsFrameAncestors =
    [
        "https://*.cloud.microsoft",
        "https://teams.microsoft.com", "https://*.teams.microsoft.com",
        "https://*.microsoft365.com", "https://*.office.com",
        "https://outlook.office.com", "https://outlook.office365.com", "https://outlook-sdf.office.com", "https://outlook-sdf.office365.com",
    ];

    public static readonly string TabContentSecurityPolicy =
        $"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors {string.Join(' ', TeamsFrameAncestors)}; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        if (TeamsTabPaths.IsTab(context))
        {
            // frame-ancestors decides who frames a tab page; X-Frame-Options (SAMEORIGIN or nothing) cannot name Teams.
            headers.ContentSecurityPolicy = TabContentSecurityPolicy;
        }
        else
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "SAMEORIGIN";
        }

        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (context.Request.Path.StartsWithSegments("/teams", StringComparison.Ordinal) || context.Request.Path.StartsWithSegments("/tab/teams", StringComparison.Ordinal))
        {
            // A team's numbers are for the signed-in person only: no shared cache keeps them.
            headers.CacheControl = "no-store";
        }

        return next(context);
    });
}
