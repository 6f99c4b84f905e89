using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>
/// The dashboard as a Teams tab (<c>Dashboard:Tab</c>): a personal tab ("My teams") and a channel tab (one team's
/// dashboard), signed in with Teams SSO. Teams asks Entra for a token for the app id URI
/// <c>api://{Host}/botid-{app id}</c>, which the bot checks before it starts a session.
/// </summary>
public sealed class TeamsTabOptions
{
    public const string Section = "Dashboard:Tab";

    public bool Enabled { get; set; }

    /// <summary>The bot's public host name as Teams reaches it (e.g. bot.contoso.com): the tab's pages and the SSO token's audience.</summary>
    public string Host { get; set; } = "";

    /// <summary>The SSO scope the app registration exposes; Teams' tokens carry it in <c>scp</c>.</summary>
    public string Scope { get; set; } = "access_as_user";

    /// <summary>The application ID URI Teams SSO tokens are issued for.</summary>
    public static string ApplicationIdUri(string host, string appId) => $"api://{host}/botid-{appId}";
}

internal sealed class TeamsTabOptionsValidator(IOptions<DashboardOptions> dashboard) : IValidateOptions<TeamsTabOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsTabOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        const string section = TeamsTabOptions.Section;
        if (!dashboard.Value.Enabled)
        {
            failures.Add($"{section}:{nameof(TeamsTabOptions.Enabled)} is true but {DashboardOptions.Section}:{nameof(DashboardOptions.Enabled)} is false: the tab shows the dashboard, so turn both on.");
        }

        if (Uri.CheckHostName(options.Host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
        {
            failures.Add($"{section}:{nameof(TeamsTabOptions.Host)} is not set to the bot's public host name (e.g. bot.contoso.com, no scheme or path): Teams SSO tokens are issued for api://<host>/botid-<app id>.");
        }

        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            failures.Add($"{section}:{nameof(TeamsTabOptions.Scope)} must name the scope the app registration exposes (access_as_user).");
        }

        if (!TeamsJs.IsEmbedded)
        {
            failures.Add($"{section}:{nameof(TeamsTabOptions.Enabled)} is true but this build has no @microsoft/teams-js: run scripts/test-clients.sh (npm ci in bot/Web/Tab/client), then build the bot again.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
