using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// "Add to Slack" by OAuth v2. <c>GET /slack/install</c> sends the browser to Slack's authorize page with the app's
/// client id, its bot scopes (<see cref="SlackScopes"/>), the redirect URL and a fresh <see cref="SlackInstallState"/>;
/// Slack sends it back to <c>GET /slack/oauth/callback</c> with a <c>code</c>, which <c>oauth.v2.access</c> exchanges
/// for the workspace's bot token (client id and secret by HTTP Basic, as Slack prefers). Every failure — access
/// denied, a forged, expired or reused state, Slack refusing the code — is a page saying so with a 4xx, and writes
/// no installation. Both routes are 404 unless workspaces install by OAuth (<see cref="SlackOptions.UsesOAuthInstall"/>).
/// </summary>
public static class SlackInstallEndpoints
{
    public const string InstallPath = "/slack/install";
    public const string CallbackPath = "/slack/oauth/callback";
    public const string AuthorizeUrl = "https://slack.com/oauth/v2/authorize";

    public static IEndpointRouteBuilder MapSlackInstall(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(InstallPath, Install);
        endpoints.MapGet(CallbackPath, CallbackAsync);
        return endpoints;
    }

    public static string AuthorizeAddress(SlackOptions options, string state) =>
        QueryHelpers.AddQueryString(AuthorizeUrl, new Dictionary<string, string?>
        {
            ["client_id"] = options.ClientId,
            ["scope"] = string.Join(',', SlackScopes.Bot),
            ["redirect_uri"] = options.RedirectUri,
            ["state"] = state,
        });

    private static IResult Install(HttpContext http, IOptions<SlackOptions> options, SlackInstallState states)
    {
        if (!options.Value.UsesOAuthInstall)
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(AuthorizeAddress(options.Value, states.Create()));
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http, IOptions<SlackOptions> options, SlackInstallState states, SlackWebApi api, SlackInstallStore store,
        SlackBackground background, SlackTokens tokens, SlackPeopleSync people, ILoggerFactory loggers, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.UsesOAuthInstall)
        {
            return Results.NotFound();
        }

        // The page must not be cached, and the code in its address must not leak to anything it links to.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var logger = loggers.CreateLogger(typeof(SlackInstallEndpoints));
        var query = http.Request.Query;
        string? state = query["state"], code = query["code"], error = query["error"];

        if (!string.IsNullOrEmpty(error))
        {
            return states.IsValid(state)
                ? SlackInstallPages.Page(StatusCodes.Status403Forbidden, "Not installed", $"AlignmentBot was not added to the workspace: Slack says \"{error}\" (access was not granted).", startAgain: true)
                : BadState(InstallStateCheck.Forged);
        }

        if (string.IsNullOrEmpty(code))
        {
            return SlackInstallPages.Page(StatusCodes.Status400BadRequest, "Not installed", "Slack's answer carried no authorization code.", startAgain: true);
        }

        if (await states.ConsumeAsync(state, ct) is var check && check != InstallStateCheck.Accepted)
        {
            logger.LogWarning("Slack install callback refused: state {Check}", check);
            return BadState(check);
        }

        var result = await api.OAuthAccessAsync(o.ClientId!, o.ClientSecret!, [new("code", code), new("redirect_uri", o.RedirectUri!)], ct);
        if (result.StatusCode is null || (int)result.StatusCode >= 500)
        {
            logger.LogWarning("Slack install: oauth.v2.access had no answer: {Error}", result.Error);
            return SlackInstallPages.Page(StatusCodes.Status502BadGateway, "Not installed", "Slack could not be reached to finish the install. Please try again.", startAgain: true);
        }

        if (!result.Ok || SlackInstallation.From(result) is not { } install)
        {
            logger.LogWarning("Slack install: oauth.v2.access refused: {Error}", result.Error ?? "no bot token");
            return SlackInstallPages.Page(StatusCodes.Status400BadRequest, "Not installed", $"Slack refused the install ({result.Error ?? "no bot token in its answer"}).", startAgain: true);
        }

        if (install.IsEnterpriseInstall || string.IsNullOrEmpty(install.TeamId))
        {
            return SlackInstallPages.Page(StatusCodes.Status400BadRequest, "Not installed",
                "An organization-wide install is not supported: install AlignmentBot in each workspace instead.");
        }

        var tenantId = await store.SaveAsync(install, ct);
        logger.LogInformation("Slack workspace {TeamId} (enterprise {EnterpriseId}) installed as tenant {TenantId}; token rotation {Rotation}",
            install.TeamId, install.EnterpriseId, tenantId, install.RefreshToken is null ? "off" : "on");

        // The workspace's people (names, time zones) are read off the request path. A failure is logged by the
        // sync (never with the token) and is not final: the next channel join syncs them again.
        if (!background.TryQueue($"people sync after install of tenant {tenantId}", async work =>
            {
                if (await tokens.ForTenantAsync(tenantId, work) is { } token)
                {
                    await people.SyncAsync(tenantId, token, work);
                }
            }))
        {
            logger.LogWarning("Slack install: tenant {TenantId}'s people sync was not queued (queue full); the next channel join syncs them", tenantId);
        }

        return SlackInstallPages.Page(StatusCodes.Status200OK, "Installed",
            $"AlignmentBot is installed in {install.TeamName ?? install.TeamId}. Add it to a team's channel, and send it \"help\" in its Messages tab.");
    }

    private static IResult BadState(InstallStateCheck check) => SlackInstallPages.Page(StatusCodes.Status400BadRequest, "Not installed", check switch
    {
        InstallStateCheck.Expired => "This install link has expired (it works for 10 minutes).",
        InstallStateCheck.Reused => "This install link has already been used.",
        _ => "This install link is not valid.",
    }, startAgain: true);
}
