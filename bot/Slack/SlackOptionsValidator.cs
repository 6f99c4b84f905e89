using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>Checked at start-up; each failure is one line naming the setting.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions o)
    {
        var failures = new List<string>();
        var anyCredential = !string.IsNullOrWhiteSpace(o.BotToken) || !string.IsNullOrWhiteSpace(o.ClientId) || !string.IsNullOrWhiteSpace(o.ClientSecret);
        if (!o.IsEnabled)
        {
            if (anyCredential)
            {
                failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.SigningSecret)} is not set while other Slack settings are: every request from Slack is checked against it (Basic Information → Signing Secret).");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (o.SigningSecret!.Trim().Length < 16)
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.SigningSecret)} is too short to be a Slack signing secret (32 hex characters).");
        }

        if (!string.IsNullOrWhiteSpace(o.BotToken) && !o.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.BotToken)} must be a bot token (xoxb-...), not a user or app token.");
        }

        if (string.IsNullOrWhiteSpace(o.ClientId) != string.IsNullOrWhiteSpace(o.ClientSecret))
        {
            failures.Add($"{SlackOptions.Section}:{(string.IsNullOrWhiteSpace(o.ClientId) ? nameof(SlackOptions.ClientId) : nameof(SlackOptions.ClientSecret))} is not set: an OAuth install needs both Slack:ClientId and Slack:ClientSecret.");
        }

        if (o.UsesOAuthInstall)
        {
            // Without a single-workspace token, workspaces install by OAuth: each missing piece is named.
            const string why = "workspaces install the app by OAuth (\"Add to Slack\") while Slack:BotToken is empty";
            if (string.IsNullOrWhiteSpace(o.ClientId) && string.IsNullOrWhiteSpace(o.ClientSecret))
            {
                failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.ClientId)} is not set: {why} (Basic Information → App Credentials), or set Slack:BotToken for one workspace.");
                failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.ClientSecret)} is not set: {why} (Basic Information → App Credentials).");
            }

            if (string.IsNullOrWhiteSpace(o.RedirectUri))
            {
                failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.RedirectUri)} is not set: {why}; use the bot's public address + /slack/oauth/callback.");
            }
        }

        if (!string.IsNullOrWhiteSpace(o.RedirectUri) && !IsRedirectUri(o.RedirectUri))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.RedirectUri)} must be an absolute https address (http only on loopback), e.g. https://bot.example.com/slack/oauth/callback.");
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http") || !o.ApiBaseUrl.EndsWith('/'))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.ApiBaseUrl)} must be an absolute http(s) address ending in '/'.");
        }

        if (string.IsNullOrWhiteSpace(o.ResponseUrlHost))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.ResponseUrlHost)} must name the host of slash-command response URLs (hooks.slack.com).");
        }

        if (o.MaxBodyBytes is < 1024 or > 4 * 1024 * 1024)
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.MaxBodyBytes)} must be between 1024 and 4194304.");
        }

        if (o.TimestampTolerance <= TimeSpan.Zero || o.TimestampTolerance > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.TimestampTolerance)} must be more than 0 and at most 00:05:00 (Slack's window).");
        }

        if (o.WorkspaceMessagesPerSecond is <= 0 or > 1000)
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.WorkspaceMessagesPerSecond)} must be between 0 and 1000.");
        }

        if (o.ChannelSpacing < TimeSpan.Zero || o.ChannelSpacing > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SlackOptions.Section}:{nameof(SlackOptions.ChannelSpacing)} must be between 00:00:00 and 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsRedirectUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
