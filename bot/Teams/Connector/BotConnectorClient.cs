using System.Text.Json;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>
/// The Bot Connector REST API (v3), called against the serviceUrl Teams gave us for the conversation.
/// A typed HttpClient: retries of 412/5xx happen in its resilience handler, everything else comes back
/// as a <see cref="ConnectorResult"/> for the caller to act on (429 included: pacing is the caller's).
/// </summary>
public sealed partial class BotConnectorClient(
    HttpClient http, IBotTokenProvider tokens, ServiceUrlAllowList allowList, TimeProvider time, ILogger<BotConnectorClient> logger)
{
    public const int MaxPageSize = 500;

    /// <summary>Posts an activity to a conversation; returns its id (keep it to update the card later).</summary>
    public Task<ConnectorResult<string>> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        return CallAsync("send", conversationId, serviceUrl, HttpMethod.Post,
            $"v3/conversations/{Escape(conversationId)}/activities", activity, ReadId, cancellationToken);
    }

    /// <summary>Replies to an activity (in a channel: in its thread); <c>replyToId</c> is set on the activity.</summary>
    public Task<ConnectorResult<string>> ReplyAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(replyToId);
        ArgumentNullException.ThrowIfNull(activity);
        return CallAsync("reply", conversationId, serviceUrl, HttpMethod.Post,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}", activity with { ReplyToId = replyToId }, ReadId, cancellationToken);
    }

    /// <summary>Replaces an activity the bot sent (e.g. the card becomes "Thanks, recorded").</summary>
    public Task<ConnectorResult<string>> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        return CallAsync("update", conversationId, serviceUrl, HttpMethod.Put,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity with { Id = activityId }, ReadId, cancellationToken);
    }

    public async Task<ConnectorResult> DeleteAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        return await CallAsync<object>("delete", conversationId, serviceUrl, HttpMethod.Delete,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", body: null, read: null, cancellationToken);
    }

    /// <summary>
    /// Creates (or finds) the 1:1 chat between the bot and a user (<c>29:...</c>) and returns its id.
    /// <paramref name="botId"/> is the bot's Teams id, <c>28:&lt;appId&gt;</c>; a bare app id gets the prefix.
    /// Teams answers 403 when the app is not installed for that user.
    /// </summary>
    public Task<ConnectorResult<string>> CreatePersonalConversationAsync(string serviceUrl, string tenantId, string botId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(botId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var body = new CreateConversation(
            new AccountId(botId.StartsWith("28:", StringComparison.Ordinal) ? botId : "28:" + botId),
            [new AccountId(userId)],
            new TenantChannelData(new AccountId(tenantId)),
            tenantId,
            IsGroup: false);
        return CallAsync("create conversation", userId, serviceUrl, HttpMethod.Post, "v3/conversations", body, ReadId, cancellationToken);
    }

    /// <summary>One page of a team's (or group chat's) roster; pass the returned token to get the next.</summary>
    public Task<ConnectorResult<TeamsMembersPage>> GetPagedMembersAsync(
        string serviceUrl, string teamOrConversationId, string? continuationToken = null, int pageSize = MaxPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(teamOrConversationId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var path = $"v3/conversations/{Escape(teamOrConversationId)}/pagedmembers?pageSize={pageSize}";
        if (!string.IsNullOrEmpty(continuationToken))
        {
            path += $"&continuationToken={Escape(continuationToken)}";
        }

        return CallAsync("get members", teamOrConversationId, serviceUrl, HttpMethod.Get, path, body: null, ReadMembersPage, cancellationToken);
    }

    /// <summary>
    /// The whole roster, page after page. Stops at the first failure and returns it (with the members
    /// read so far lost): callers that must pace or resume use <see cref="GetPagedMembersAsync"/>.
    /// </summary>
    public async Task<ConnectorResult<IReadOnlyList<TeamsMember>>> GetAllMembersAsync(string serviceUrl, string teamOrConversationId, CancellationToken cancellationToken = default)
    {
        var members = new List<TeamsMember>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? continuation = null;
        while (true)
        {
            var page = await GetPagedMembersAsync(serviceUrl, teamOrConversationId, continuation, MaxPageSize, cancellationToken);
            if (!page.IsSuccess || page.Value is null)
            {
                return WithValue<IReadOnlyList<TeamsMember>>(page, null);
            }

            members.AddRange(page.Value.Members);
            continuation = page.Value.ContinuationToken;
            if (continuation is null)
            {
                return WithValue<IReadOnlyList<TeamsMember>>(page, members);
            }

            if (!seen.Add(continuation))
            {
                return WithValue<IReadOnlyList<TeamsMember>>(page, null) with
                {
                    Failure = ConnectorFailure.InvalidResponse,
                    ErrorMessage = "the connector returned the same continuation token twice",
                };
            }
        }
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string? ReadId(string body) =>
        string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize<ResourceResponse>(body, ProtocolJson.Options)?.Id;

    private static TeamsMembersPage ReadMembersPage(string body)
    {
        var page = JsonSerializer.Deserialize<PagedMembers>(body, ProtocolJson.Options);
        if (page?.Members is null)
        {
            throw new JsonException("no \"members\" array");
        }

        return new TeamsMembersPage(page.Members, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
    }

    private static ConnectorResult<T> WithValue<T>(ConnectorResult from, T? value) => new()
    {
        StatusCode = from.StatusCode,
        Failure = from.Failure,
        RetryAfter = from.RetryAfter,
        ErrorCode = from.ErrorCode,
        ErrorMessage = from.ErrorMessage,
        CorrelatingOperationId = from.CorrelatingOperationId,
        Value = value,
    };

    // The body of POST /v3/conversations, in the order and shape teams.md gives.
    private sealed record CreateConversation(AccountId Bot, IReadOnlyList<AccountId> Members, TenantChannelData ChannelData, string TenantId, bool IsGroup);

    private sealed record AccountId(string Id);

    private sealed record TenantChannelData(AccountId Tenant);

    private sealed record PagedMembers(string? ContinuationToken, IReadOnlyList<TeamsMember>? Members);
}
