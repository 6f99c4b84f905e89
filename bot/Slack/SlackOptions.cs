namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The Slack app (api.slack.com/apps → Basic Information, OAuth &amp; Permissions). Slack is off while
/// <see cref="SigningSecret"/> is empty: its endpoints answer 404 and nothing is sent to Slack.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>Basic Information → Signing Secret: every request from Slack is checked against it.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Single-workspace mode: the <c>xoxb-</c> token from "Install to Workspace" (no OAuth install then).</summary>
    public string? BotToken { get; set; }

    /// <summary>The OAuth v2 install ("Add to Slack", when <see cref="BotToken"/> is empty): Basic Information → App Credentials.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The install's redirect URL: the bot's public address + <c>/slack/oauth/callback</c>, also listed under OAuth &amp; Permissions → Redirect URLs.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Where the Web API is (a test fake overrides it).</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>The only host a slash command's <c>response_url</c> may point at (the bot posts late answers there).</summary>
    public string ResponseUrlHost { get; set; } = "hooks.slack.com";

    /// <summary>Largest request body accepted from Slack (bytes); larger ones are refused before any check.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How far a request's timestamp may be from now, in either direction (Slack's documentation: 5 minutes).</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Messages per second one workspace may take from the bot across all channels. Slack publishes no number
    /// (about 1 per second per channel, bursts allowed, and a workspace-wide cap); a 429 pauses the workspace anyway.
    /// </summary>
    public double WorkspaceMessagesPerSecond { get; set; } = 20;

    /// <summary>The least time between two messages to one channel or person (Slack: about 1 per second).</summary>
    public TimeSpan ChannelSpacing { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SigningSecret);

    /// <summary>Workspaces install the app by OAuth ("Add to Slack") and their tokens are kept encrypted in PostgreSQL.</summary>
    public bool UsesOAuthInstall => IsEnabled && string.IsNullOrWhiteSpace(BotToken);
}
