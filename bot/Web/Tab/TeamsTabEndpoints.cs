using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>The dashboard as a Teams tab: the tab's pages and scripts, and the SSO token exchange.</summary>
public static class TeamsTabEndpoints
{
    /// <summary>The tab's settings (checked at start-up) and the SSO check.</summary>
    public static IServiceCollection AddTeamsTab(this IServiceCollection services)
    {
        services.AddOptions<TeamsTabOptions>().BindConfiguration(TeamsTabOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsTabOptions>, TeamsTabOptionsValidator>();
        services.AddHttpClient(nameof(TeamsSsoTokens));
        services.AddSingleton<TeamsSsoTokens>();
        // After the antiforgery defaults named the cookie (PostConfigure): the tab's pages need it SameSite=None.
        services.PostConfigure<AntiforgeryOptions>(TabAntiforgeryCookie.Use);
        return services;
    }

    /// <summary>The tab's endpoints while it is on (its dashboard pages are the dashboard's own, under /tab).</summary>
    public static WebApplication MapTeamsTab(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<TeamsTabOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapGet(TeamsTabPaths.Open, TeamsTabPages.Open).AllowAnonymous();
        app.MapGet(TeamsTabPaths.Configure, TeamsTabPages.Configure).AllowAnonymous();
        app.MapGet(TeamsTabPaths.Script, TeamsJs.ServeTabScript).AllowAnonymous();
        app.MapGet(TeamsTabPaths.TeamsJsScript, TeamsJs.ServeLibrary).AllowAnonymous();
        app.MapPost(TeamsTabPaths.Session, TeamsTabSession.StartAsync).AllowAnonymous().DisableAntiforgery();
        app.MapGet(TeamsTabPaths.TeamsList, TeamsAsync).RequireAuthorization();
        // The dashboard's CSV downloads again under /tab, where the tab's session cookie is sent.
        app.MapGet(TeamsTabPaths.Prefix + "/teams/{teamId:long}/{table}.csv", DashboardEndpoints.ExportAsync).RequireAuthorization();
        app.MapGet(TeamsTabPaths.Prefix + "/leaders/{table}.csv", LeadersCsv.ExportAsync).RequireAuthorization();
        return app;
    }

    // The configuration page's choices: the teams the person may open, by the dashboard's own rule.
    private static async Task<IResult> TeamsAsync(HttpContext http, DashboardViewer viewer, CancellationToken ct)
    {
        var who = await viewer.IdentifyAsync(http.User, ct);
        var teams = await viewer.TeamsAsync(who, ct);
        return Results.Json(teams.Select(t => new { id = t.TeamId, name = t.Name }));
    }
}
