using System.Globalization;
using AlignmentBot.Bot.Web.Components;
using AlignmentBot.Bot.Web.Console;
using AlignmentBot.Bot.Web.Data;
using AlignmentBot.Bot.Web.SignIn;
using AlignmentBot.Bot.Web.Tab;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web;

/// <summary>The browser dashboard in the bot's host: Blazor static server rendering, Entra sign-in, CSV export.</summary>
public static class DashboardEndpoints
{
    public const string SignOutPath = "/signout";

    public static string CsvPath(long teamId, string table, HttpContext? context = null) => $"{Tab.TeamsTabPaths.LinkPrefix(context)}/teams/{teamId.ToString(CultureInfo.InvariantCulture)}/{table}.csv";

    /// <summary>The dashboard's settings always (so they are checked at start-up); its services only when it is on.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DashboardOptions>, DashboardOptionsSetup>();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddTeamsTab();
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        services.AddRazorComponents();
        services.AddAuthorization();
        services.AddEntraSignIn();
        services.AddSingleton<DashboardViewer>();
        services.AddSingleton<TeamDashboard>();
        services.AddSingleton<CheckinHistory>();
        services.AddSingleton<LeadersScope>();
        services.AddSingleton<HeatmapBuilder>();
        services.AddSingleton<LeadersView>();
        services.AddConsole();
        return builder;
    }

    /// <summary>The pages and their endpoints; nothing at all (every path 404) when the dashboard is off.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapGet(SiteStyles.Path, SiteStyles.Serve).AllowAnonymous();
        app.MapGet("/teams/{teamId:long}/{table}.csv", ExportAsync).RequireAuthorization();
        app.MapGet("/leaders/{table}.csv", LeadersCsv.ExportAsync).RequireAuthorization();
        app.MapPost(SignOutPath, SignOutAsync).AllowAnonymous();
        app.MapSignIn();
        app.MapTeamsTab();
        app.MapRazorComponents<App>();
        return app;
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>($"{DashboardOptions.Section}:{nameof(DashboardOptions.Enabled)}");

    internal static async Task<IResult> ExportAsync(long teamId, string table, HttpContext http, DashboardViewer viewer, TeamDashboard dashboard, CancellationToken ct)
    {
        if (!DashboardCsv.IsTable(table))
        {
            return Results.NotFound();
        }

        var who = await viewer.IdentifyAsync(http.User, ct);
        var decision = await viewer.DecideAsync(who, teamId, ct);
        if (decision.View == TeamView.Forbidden || who is null)
        {
            return Results.Text(decision.Why, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        if (await dashboard.LoadAsync(who.TenantId, teamId, decision.View, ct) is not { } content)
        {
            return Results.NotFound();
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"team-{teamId.ToString(CultureInfo.InvariantCulture)}-{table}.csv\"";
        return Results.Text(DashboardCsv.Write(table, content), "text/csv; charset=utf-8");
    }

    // A form post with its antiforgery token: another site cannot sign someone out (or in as someone else).
    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Text("This form has expired. Go back, reload the page and try again.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        await http.SignOutAsync(EntraSignIn.CookieScheme);
        return Results.Redirect("/signed-out");
    }
}
