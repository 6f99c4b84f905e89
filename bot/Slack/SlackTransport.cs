using System.Net;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The outbox's Slack side. A DM goes by <c>chat.postMessage</c> to the person's user id (Slack posts it in the app's
/// DM with them and answers with that channel and the message's <c>ts</c>, both kept for <c>chat.update</c>): no
/// <c>conversations.open</c> round trip. Pacing: about one message per second per channel
/// (<see cref="SlackOptions.ChannelSpacing"/>) and a workspace-wide budget (<see cref="SlackOptions.WorkspaceMessagesPerSecond"/>);
/// a 429 pauses the whole workspace for its Retry-After (<see cref="SendStatus.Throttled"/>). Slack's HTTP-200
/// <c>ok:false</c> errors are mapped by <see cref="Map"/>.
/// </summary>
public sealed class SlackTransport(SlackWebApi api, SlackTokens tokens, SlackRoster roster, IOptions<SlackOptions> options) : IChatTransport
{
    public const string PlatformName = "slack";

    /// <summary>The conversation cannot be reached: the bot is not (or no longer) there, or the person is gone.</summary>
    public static readonly IReadOnlySet<string> UnreachableErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "user_not_found", "user_disabled", "cannot_dm_bot",
        "messages_tab_disabled", "restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
        "team_access_not_granted", "ekm_access_denied",
    };

    /// <summary>Slack's side failed or is busy: worth another try later.</summary>
    public static readonly IReadOnlySet<string> RetriedErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org", "invalid_response",
    };

    public string Platform => PlatformName;

    public bool NeedsPersonalChat => false;

    public double? TenantRequestsPerSecond => options.Value.WorkspaceMessagesPerSecond;

    public IReadOnlyList<ConversationLimit> ConversationLimits => [new(1, options.Value.ChannelSpacing)];

    public Task<string?> PersonalChatHostAsync(ClaimedDelivery row, CancellationToken ct) => Task.FromResult<string?>(null);

    public Task<SendResult> OpenPersonalChatAsync(ClaimedDelivery row, string host, CancellationToken ct) =>
        Task.FromResult(new SendResult(SendStatus.Failed) { Error = "Slack needs no 1:1 chat to be opened" });

    public async Task<SendResult> SendAsync(OutboundAddress address, Reply content, CancellationToken ct)
    {
        if (await tokens.ForTenantAsync(address.TenantId, ct) is not { } token)
        {
            return NoToken;
        }

        var message = SlackReplies.Render(content);
        message["channel"] = address.ConversationId;
        return Map(await api.PostMessageAsync(token, message, ct));
    }

    public async Task<SendResult> UpdateAsync(OutboundAddress address, string messageId, Reply content, CancellationToken ct)
    {
        if (await tokens.ForTenantAsync(address.TenantId, ct) is not { } token)
        {
            return NoToken;
        }

        var message = SlackReplies.Render(content);
        message["channel"] = address.ConversationId;
        message["ts"] = messageId;
        return Map(await api.UpdateAsync(token, message, ct));
    }

    /// <summary>The workspace directory, then each team channel's members (<see cref="SlackRoster"/>).</summary>
    public Task<TenantRoster> ReadRosterAsync(long tenantId, IReadOnlyList<RosterTeam> teams, CancellationToken ct) => roster.ReadAsync(tenantId, teams, ct);

    private static SendResult NoToken => new(SendStatus.Failed) { Error = "no bot token for this workspace (uninstalled, revoked or not configured)" };

    /// <summary>
    /// ok → sent (with the channel and ts); 429 / <c>ratelimited</c> → throttled; the conversation's own errors →
    /// unreachable; Slack-side failures, 5xx and no answer → retried; the rest (<c>invalid_auth</c>,
    /// <c>account_inactive</c>, <c>token_revoked</c>, <c>invalid_blocks</c>, <c>msg_too_long</c>...) → failed.
    /// </summary>
    public static SendResult Map(SlackApiResult result)
    {
        if (result.Ok)
        {
            return SendResult.Sent(result.GetString("ts"), result.GetString("channel"));
        }

        var error = result.Error ?? "unknown";
        var status = result.StatusCode == HttpStatusCode.TooManyRequests || error == "ratelimited" ? SendStatus.Throttled
            : UnreachableErrors.Contains(error) ? SendStatus.Unreachable
            : result.StatusCode is null || (int)result.StatusCode >= 500 || RetriedErrors.Contains(error) ? SendStatus.Retry
            : SendStatus.Failed;
        return new SendResult(status) { Error = $"slack {error}", RetryAfter = result.RetryAfter };
    }
}
