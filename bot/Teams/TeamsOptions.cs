using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams;

/// <summary>The bot's Microsoft Teams registration (Azure Bot / Entra app) and what it trusts.</summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";
    public const string BotFrameworkOpenIdMetadata = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// Hosts Teams sends from (public cloud, GCC, GCC High, DoD). The bot's outbound token is only
    /// ever sent to a serviceUrl on one of these or on <see cref="AllowedServiceUrlHosts"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> MicrosoftServiceUrlHosts =
    [
        "smba.trafficmanager.net",
        "*.botframework.com",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary>The bot's app (client) id. Empty: unauthenticated local mode, Development only.</summary>
    public string? AppId { get; set; }

    /// <summary>The app's client secret.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The Entra tenant the single-tenant bot is registered in ("botframework.com" for legacy multi-tenant bots).</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// The tenants whose Teams users the bot serves, for a multi-tenant app. Empty: only <see cref="TenantId"/>
    /// (which must then be a tenant id, not "botframework.com"). Activities from any other tenant are refused.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>Where the Bot Framework's signing keys are published.</summary>
    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadata;

    /// <summary>Extra serviceUrl hosts to trust, e.g. a local test connector ("localhost").</summary>
    public List<string> AllowedServiceUrlHosts { get; set; } = [];

    public bool IsAuthenticated => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>The tenants activities may come from: <see cref="AllowedTenants"/>, else <see cref="TenantId"/> when it names one.</summary>
    public IReadOnlyList<string> ServedTenants() =>
        AllowedTenants.Count > 0 ? AllowedTenants
        : Guid.TryParse(TenantId, out _) ? [TenantId!]
        : [];
}

internal sealed class TeamsOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var failures = new List<string>();
        if (!options.IsAuthenticated)
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AppId)} is not set: outside Development the bot needs its Azure Bot app id " +
                             "(environment variable Teams__AppId). Only Development accepts unauthenticated local clients such as the Agents Playground.");
            }
            else if (NonLoopback(configuration[WebHostDefaults.ServerUrlsKey]) is { } exposed)
            {
                // Unauthenticated, anyone who can reach the port can act as anyone: only this machine may.
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AppId)} is not set while the bot would listen on {exposed}: " +
                             "unauthenticated local mode listens on loopback only (e.g. --urls http://127.0.0.1:3978), or set Teams:AppId.");
            }
        }
        else
        {
            if (!Guid.TryParse(options.AppId, out _))
            {
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AppId)} is not an app id: use the Azure Bot's Microsoft App ID (a GUID).");
            }

            if (string.IsNullOrWhiteSpace(options.AppPassword))
            {
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AppPassword)} is not set: use a client secret of the bot's app registration (environment variable Teams__AppPassword).");
            }

            if (string.IsNullOrWhiteSpace(options.TenantId))
            {
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.TenantId)} is not set: use the Entra tenant id the bot is registered in (\"botframework.com\" for a legacy multi-tenant bot).");
            }
            else if (options.ServedTenants().Count == 0)
            {
                failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AllowedTenants)} is empty while {TeamsOptions.Section}:{nameof(TeamsOptions.TenantId)} is \"{options.TenantId}\": " +
                             "list the tenant ids whose users the multi-tenant bot serves (Teams__AllowedTenants__0=<tenant id>).");
            }
        }

        if (!Uri.TryCreate(options.OpenIdMetadataUrl, UriKind.Absolute, out var metadata) ||
            !(metadata.Scheme == Uri.UriSchemeHttps || (metadata.Scheme == Uri.UriSchemeHttp && metadata.IsLoopback)))
        {
            failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.OpenIdMetadataUrl)} must be an https URL (default {TeamsOptions.BotFrameworkOpenIdMetadata}).");
        }

        if (options.AllowedTenants.Any(t => !Guid.TryParse(t, out _)))
        {
            failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AllowedTenants)} has an entry that is not a tenant id: list Entra tenant ids (GUIDs).");
        }

        if (options.AllowedServiceUrlHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{TeamsOptions.Section}:{nameof(TeamsOptions.AllowedServiceUrlHosts)} has an empty entry: list host names such as \"localhost\".");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The first listening address that is not loopback ("*", "+", 0.0.0.0, a host name, an address), or null.</summary>
    internal static string? NonLoopback(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(url =>
            !(Uri.TryCreate(url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal),
                UriKind.Absolute, out var uri) && uri.IsLoopback));
}
