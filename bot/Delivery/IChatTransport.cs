using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// One chat platform's outbound side, as the outbox engine (<see cref="DeliverySender"/>) and the roster refresh use
/// it: send, update, open a person's 1:1 chat, read a tenant's roster, each answered with a platform-neutral <see cref="SendResult"/> (the transport maps its
/// own status codes and error shapes). Its limits per conversation are its own; the engine does the waiting.
/// </summary>
public interface IChatTransport
{
    /// <summary>The <c>tenants.platform</c> value it serves: <c>teams</c> or <c>slack</c>.</summary>
    string Platform { get; }

    /// <summary>
    /// True when a person must have a 1:1 conversation created before the first message (Teams); false when a
    /// message can be addressed to the person's user id (Slack: <c>chat.postMessage</c> to <c>U...</c>).
    /// </summary>
    bool NeedsPersonalChat { get; }

    /// <summary>Requests per second one tenant (workspace) may take; null: the Delivery settings (Teams' documented limit).</summary>
    double? TenantRequestsPerSecond { get; }

    /// <summary>Most messages one conversation may take within each window (the engine waits for room).</summary>
    IReadOnlyList<ConversationLimit> ConversationLimits { get; }

    /// <summary>
    /// Where a 1:1 chat for the row's person would be created (Teams: the tenant's serviceUrl), or null with
    /// nothing sent when none is known yet. Asked before pacing, so a hopeless row takes no token.
    /// </summary>
    Task<string?> PersonalChatHostAsync(ClaimedDelivery row, CancellationToken ct);

    /// <summary>Creates the row's person's 1:1 chat at <paramref name="host"/>; <see cref="SendResult.ConversationId"/> on success.</summary>
    Task<SendResult> OpenPersonalChatAsync(ClaimedDelivery row, string host, CancellationToken ct);

    /// <summary>Sends a message; <see cref="SendResult.MessageId"/> (and the real conversation id, when the platform resolves one) on success.</summary>
    Task<SendResult> SendAsync(OutboundAddress address, Reply content, CancellationToken ct);

    /// <summary>Replaces a message the bot sent earlier.</summary>
    Task<SendResult> UpdateAsync(OutboundAddress address, string messageId, Reply content, CancellationToken ct);

    /// <summary>
    /// Who is in each of the tenant's <paramref name="teams"/> now, every page read and the platform's rate limits
    /// honoured (Teams: each team's conversation members; Slack: the workspace directory, then each channel's members).
    /// A team that could not be read is left out; a tenant that could not be read at all says why.
    /// </summary>
    Task<TenantRoster> ReadRosterAsync(long tenantId, IReadOnlyList<RosterTeam> teams, CancellationToken ct);
}

/// <summary>Where a message goes: the tenant, the platform's conversation/channel (or, where allowed, user) id, and the host serving it (Teams' serviceUrl; null for Slack).</summary>
public sealed record OutboundAddress(long TenantId, string ConversationId, string? Host);

/// <summary>At most <paramref name="Permits"/> messages to one conversation within <paramref name="Window"/>.</summary>
public sealed record ConversationLimit(int Permits, TimeSpan Window);
