using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>The tab's own session: a cookie started by a checked Teams SSO token, for the tab's pages only.</summary>
public static class TeamsTabSession
{
    public const string CookieScheme = "TeamsTab";

    /// <summary>What the tab's script posts.</summary>
    public sealed record StartRequest(string? Token);

    public static void AddCookie(AuthenticationBuilder authentication)
    {
        authentication.AddCookie(CookieScheme, _ => { });
        authentication.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DashboardOptions>>((o, dashboard) =>
        {
            o.Cookie.Name = ".AlignmentBot.Tab";
            o.Cookie.HttpOnly = true;
            // Teams shows the tab in its own frame: a browser sends a framed site's cookie only when it is SameSite=None,
            // and accepts that only with Secure. The tab's paths alone read it (SessionSchemes).
            o.Cookie.SameSite = SameSiteMode.None;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.Path = TeamsTabPaths.Prefix;
            // Partitioned (CHIPS): browsers that block third-party cookies still keep a framed site's cookie when it is
            // partitioned by the top-level site (Teams), which is all the tab needs.
            o.Cookie.Extensions.Add("Partitioned");
            o.ExpireTimeSpan = dashboard.Value.SessionLifetime;
            o.SlidingExpiration = true;
            // No session yet: the tab page that signs in with Teams SSO, then comes back.
            o.LoginPath = TeamsTabPaths.Open;
            o.ReturnUrlParameter = "to";
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>
    /// <c>POST /tab/session</c> with <c>{"token": "…"}</c>: a good SSO token starts the session (204); a bad one is 401.
    /// Only JSON is read: a form on another site cannot post JSON without a CORS preflight, which the bot never grants.
    /// </summary>
    public static async Task<IResult> StartAsync(HttpContext http, TeamsSsoTokens tokens, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Results.Text("Send the Teams SSO token as JSON: {\"token\": \"…\"}.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        StartRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<StartRequest>(ct);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request?.Token is not { Length: > 0 and < 16_384 } token)
        {
            return Results.Text("The body must be JSON with the Teams SSO token: {\"token\": \"…\"}.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await tokens.ValidateAsync(token, ct) is not { } person)
        {
            return Results.Text("Teams did not vouch for you. Close the tab and open it again.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(CookieScheme, person);
        return Results.NoContent();
    }
}
