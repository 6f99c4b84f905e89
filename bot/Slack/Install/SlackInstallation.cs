using System.Text.Json;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// What <c>oauth.v2.access</c> answers for a bot install (or a refresh): the bot token, its scopes and bot user, the
/// workspace (<c>team</c>, null for an org-wide Enterprise Grid install) and its enterprise, and with token rotation
/// on, a refresh token and the token's lifetime in seconds (<c>expires_in</c>).
/// </summary>
public sealed record SlackInstallation(
    string AccessToken,
    string? TeamId,
    string? TeamName,
    string? EnterpriseId,
    bool IsEnterpriseInstall,
    string? BotUserId,
    string? Scopes,
    string? RefreshToken,
    TimeSpan? ExpiresIn)
{
    /// <summary>Null when the answer holds no bot token (e.g. a user-token-only install).</summary>
    public static SlackInstallation? From(SlackApiResult result)
    {
        if (!result.Ok || result.GetString("access_token") is not { Length: > 0 } token || result.GetString("token_type") is { } type && type != "bot")
        {
            return null;
        }

        var body = result.Body;
        TimeSpan? expiresIn = body.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
        return new SlackInstallation(
            token,
            result.GetString("team", "id"),
            result.GetString("team", "name"),
            result.GetString("enterprise", "id"),
            body.TryGetProperty("is_enterprise_install", out var org) && org.ValueKind == JsonValueKind.True,
            result.GetString("bot_user_id"),
            result.GetString("scope"),
            result.GetString("refresh_token"),
            expiresIn);
    }
}
