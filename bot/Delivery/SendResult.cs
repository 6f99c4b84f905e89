namespace AlignmentBot.Bot.Delivery;

/// <summary>What the outbox does with a row after a platform call (each transport maps its own answers to these).</summary>
public enum SendStatus
{
    /// <summary>Delivered (or accepted: a success whose body was unreadable still counts, so it is never sent twice).</summary>
    Sent,

    /// <summary>Worth trying again later with backoff: a server error, no answer, no token.</summary>
    Retry,

    /// <summary>The platform's rate limit: the whole tenant (workspace) pauses for <see cref="SendResult.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>Refused for good; the conversation itself may still work.</summary>
    Failed,

    /// <summary>Refused for good because the conversation cannot be reached (bot removed, blocked, archived, user gone).</summary>
    Unreachable,
}

/// <summary>A platform call's outcome in the outbox's terms. <see cref="Error"/> is a short text for the row and the log (never a token).</summary>
public sealed record SendResult(SendStatus Status)
{
    public string? MessageId { get; init; }

    /// <summary>The conversation the platform used (a created 1:1 chat; Slack's <c>D...</c> channel for a DM sent to a user id).</summary>
    public string? ConversationId { get; init; }

    public TimeSpan? RetryAfter { get; init; }
    public string? Error { get; init; }

    /// <summary>An id to quote to the platform's support (Teams' correlating operation id).</summary>
    public string? Correlation { get; init; }

    public bool IsSent => Status == SendStatus.Sent;

    public static SendResult Sent(string? messageId, string? conversationId = null) => new(SendStatus.Sent) { MessageId = messageId, ConversationId = conversationId };
}
