namespace AlignmentBot.Bot.Web;

/// <summary>
/// Headers on every response while the dashboard is on. The pages run no script at all, so the policy allows none;
/// styles and images come from the bot itself; only the bot may frame its pages (Teams' hosts join in when the
/// dashboard becomes a Teams tab).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers["Referrer-Policy"] = "same-origin";
        if (context.Request.Path.StartsWithSegments("/teams", StringComparison.Ordinal))
        {
            // A team's numbers are for the signed-in person only: no shared cache keeps them.
            headers.CacheControl = "no-store";
        }

        return next(context);
    });
}
