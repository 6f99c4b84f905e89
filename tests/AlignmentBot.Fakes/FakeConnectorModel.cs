using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>What a Bot Connector request asks for, as the fake understood its method and path.</summary>
public enum FakeOperation
{
    Unknown,
    CreateConversation,
    Send,
    Reply,
    Update,
    Delete,
    GetMembers,
}

/// <summary>
/// One request as the fake received it. <see cref="RawTarget"/> is the path and query exactly as sent
/// (still percent-encoded); the ids are decoded. <see cref="Status"/> and
/// <see cref="CorrelatingOperationId"/> are what the fake answered (unset while the request is handled).
/// </summary>
public sealed record FakeRequest(
    long Sequence,
    string Method,
    string RawTarget,
    FakeOperation Operation,
    string? ConversationId,
    string? ActivityId,
    IReadOnlyDictionary<string, string> Query,
    string? Authorization,
    string Body,
    DateTimeOffset ReceivedAt)
{
    public int Status { get; init; }
    public string? CorrelatingOperationId { get; init; }
}

/// <summary>An activity the fake accepted: what a Teams user would now see (or no longer see, for a delete).</summary>
public sealed record ReceivedActivity(FakeOperation Operation, string ConversationId, string ActivityId, string? ReplyToId, string? Body)
{
    public JsonNode? Json => Body is null ? null : JsonNode.Parse(Body);

    public Activity? Activity => Body is null ? null : JsonSerializer.Deserialize<Activity>(Body, ProtocolJson.Options);
}

/// <summary>A conversation the fake created (or found again) for <c>POST /v3/conversations</c>, with the body received.</summary>
public sealed record CreatedConversation(string Id, string Body)
{
    public JsonNode? Json => JsonNode.Parse(Body);
}

/// <summary>A roster entry; null properties are left out of the JSON, as Teams does.</summary>
public sealed record FakeMember(
    string Id, string AadObjectId, string Name, string? TenantId = null, string? Email = null, string? UserPrincipalName = null, string? UserRole = "user");

/// <summary>An answer the fake gives instead of handling a request normally.</summary>
public sealed record FakeReply(int Status, string? Body = null, string? RetryAfter = null)
{
    public static FakeReply WithStatus(int status) => new(status);

    /// <summary>Teams' error shape: <c>{"error":{"code":...,"message":...}}</c>.</summary>
    public static FakeReply Error(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new { error = new { code, message } }));

    public static FakeReply TooManyRequests(TimeSpan retryAfter) =>
        new(429, RetryAfter: ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>429 with Retry-After as an HTTP date.</summary>
    public static FakeReply TooManyRequestsUntil(DateTimeOffset until) =>
        new(429, RetryAfter: until.ToString("R", CultureInfo.InvariantCulture));

    public static FakeReply MessageWritesBlocked() =>
        Error(403, "MessageWritesBlocked", "Bot is not allowed to send messages to this conversation.");

    public static FakeReply ConversationBlockedByUser() =>
        Error(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.");

    public static FakeReply NotFound() => Error(404, "ConversationNotFound", "Conversation not found.");
}
