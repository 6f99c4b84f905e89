using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web;

/// <summary>
/// The browser dashboard (<c>/teams/{id}</c>) and its sign-in with Microsoft Entra ID. Off unless
/// <see cref="Enabled"/>; then it signs people in with the bot's own app registration (<c>Teams:AppId</c> and
/// <c>Teams:AppPassword</c>) unless <see cref="ClientId"/> and <see cref="ClientSecret"/> name another.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public const string EntraAuthority = "https://login.microsoftonline.com/organizations/v2.0";

    public bool Enabled { get; set; }

    /// <summary>The OpenID Connect authority: Entra's multi-tenant endpoint, or one tenant's (…/{tenant id}/v2.0).</summary>
    public string Authority { get; set; } = EntraAuthority;

    /// <summary>The app (client) id people sign in to; empty: the bot's own, <c>Teams:AppId</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's client secret; empty: the bot's own, <c>Teams:AppPassword</c>.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The Entra app role (in the id token's <c>roles</c>) that makes someone an admin of their own tenant.</summary>
    public string AdminRole { get; set; } = "AlignmentBot.Admin";

    /// <summary>
    /// Admins of their own organisation, for organisations that assign no app role: Entra object ids, and Slack people
    /// as <c>slack:&lt;team id&gt;/&lt;user id&gt;</c> (Slack has no app role).
    /// </summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>How long a sign-in lasts while the person is idle.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>The dashboard's settings with the bot's registration filled in where the dashboard names none.</summary>
internal sealed class DashboardOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<DashboardOptions>
{
    public void PostConfigure(string? name, DashboardOptions options)
    {
        if (options.ClientId.Length == 0)
        {
            options.ClientId = configuration["Teams:AppId"] ?? "";
        }

        if (options.ClientSecret.Length == 0)
        {
            options.ClientSecret = configuration["Teams:AppPassword"] ?? "";
        }
    }
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        const string section = DashboardOptions.Section;
        if (!Guid.TryParse(options.ClientId, out _))
        {
            failures.Add($"{section}:{nameof(DashboardOptions.ClientId)} is not set to an app id (a GUID): the dashboard signs people in with the bot's app registration, so set Teams:AppId or {section}:{nameof(DashboardOptions.ClientId)}, or set {section}:{nameof(DashboardOptions.Enabled)} to false.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{section}:{nameof(DashboardOptions.ClientSecret)} is not set: the dashboard redeems sign-in codes with the app's client secret (Teams:AppPassword or {section}:{nameof(DashboardOptions.ClientSecret)}).");
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            // Sign-in metadata and keys over plain http could be swapped on the way.
            failures.Add($"{section}:{nameof(DashboardOptions.Authority)} must be an https URL such as {DashboardOptions.EntraAuthority} (plain http only on loopback, for a local test provider).");
        }

        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{section}:{nameof(DashboardOptions.SessionLifetime)} must be positive (e.g. 08:00:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
