namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// The bot scopes the app asks for, in one place: the "Add to Slack" link asks for exactly these, and a test holds
/// manifests/slack/manifest.yaml to the same list.
/// </summary>
public static class SlackScopes
{
    public static readonly IReadOnlyList<string> Bot =
    [
        "app_mentions:read", "channels:read", "chat:write", "commands", "groups:read", "im:history", "im:write", "users:read", "users:read.email",
    ];
}
