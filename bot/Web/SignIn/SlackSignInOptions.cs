using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// Sign in with Slack for the dashboard (<c>Dashboard:Slack</c>): OpenID Connect with the Slack app's client id and
/// secret (<c>Slack:ClientId</c> and <c>Slack:ClientSecret</c> unless named here). Off unless <see cref="Enabled"/>;
/// then the dashboard's sign-in page offers Microsoft and Slack.
/// </summary>
public sealed class SlackSignInOptions
{
    public const string Section = "Dashboard:Slack";

    public const string SlackAuthority = "https://slack.com";

    public bool Enabled { get; set; }

    /// <summary>Slack's OpenID Connect issuer; its metadata is at {Authority}/.well-known/openid-configuration.</summary>
    public string Authority { get; set; } = SlackAuthority;

    /// <summary>The Slack app's client id; empty: <c>Slack:ClientId</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The Slack app's client secret; empty: <c>Slack:ClientSecret</c>.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>On, with a client to sign in to (the sign-in page offers Slack only then).</summary>
    public bool IsConfigured => Enabled && ClientId.Length > 0;
}

/// <summary>The Slack app's client id and secret where the dashboard names none.</summary>
internal sealed class SlackSignInOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<SlackSignInOptions>
{
    public void PostConfigure(string? name, SlackSignInOptions options)
    {
        if (options.ClientId.Length == 0)
        {
            options.ClientId = configuration["Slack:ClientId"] ?? "";
        }

        if (options.ClientSecret.Length == 0)
        {
            options.ClientSecret = configuration["Slack:ClientSecret"] ?? "";
        }
    }
}

internal sealed class SlackSignInOptionsValidator : IValidateOptions<SlackSignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackSignInOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        const string section = SlackSignInOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{section}:{nameof(SlackSignInOptions.ClientId)} is not set: Sign in with Slack uses the Slack app's client id (Slack:ClientId or {section}:{nameof(SlackSignInOptions.ClientId)}), or set {section}:{nameof(SlackSignInOptions.Enabled)} to false.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{section}:{nameof(SlackSignInOptions.ClientSecret)} is not set: Sign in with Slack redeems codes with the Slack app's client secret (Slack:ClientSecret or {section}:{nameof(SlackSignInOptions.ClientSecret)}).");
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            failures.Add($"{section}:{nameof(SlackSignInOptions.Authority)} must be an https URL such as {SlackSignInOptions.SlackAuthority} (plain http only on loopback, for a local test provider).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
