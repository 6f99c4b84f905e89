using System.Net;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Turns;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams.Delivery;

/// <summary>
/// The outbox's Teams side: Bot Connector calls, each tried once (the outbox retries, and its pacer must count
/// every request), and Teams' answers in the outbox's terms — 2xx sent (an unreadable 2xx too: it arrived); 429
/// throttled with Retry-After; 412, 5xx, no answer or no token retried; 403/404 unreachable; the rest failed.
/// Teams' per-conversation limits: 7 per second, 60 per 30 seconds, 1800 per hour (docs/teams.md).
/// </summary>
public sealed class TeamsTransport(BotConnectorClient connector, DeliveryStore store, ITeamRoster roster, IOptions<TeamsOptions> teams, TimeProvider time) : IChatTransport
{
    public const string PlatformName = "teams";

    public static IReadOnlyList<ConversationLimit> Limits { get; } =
        [new(7, TimeSpan.FromSeconds(1)), new(60, TimeSpan.FromSeconds(30)), new(1800, TimeSpan.FromHours(1))];

    public string Platform => PlatformName;

    public bool NeedsPersonalChat => true;

    public double? TenantRequestsPerSecond => null;

    public IReadOnlyList<ConversationLimit> ConversationLimits => Limits;

    public Task<string?> PersonalChatHostAsync(ClaimedDelivery row, CancellationToken ct) => store.TenantServiceUrlAsync(row.TenantId, time.GetUtcNow(), ct);

    /// <summary>Each team's conversation members, one team at a time (the connector honours Retry-After); a team without a serviceUrl cannot be read.</summary>
    public async Task<TenantRoster> ReadRosterAsync(long tenantId, IReadOnlyList<RosterTeam> teams, CancellationToken ct)
    {
        var read = new Dictionary<long, IReadOnlyList<Member>>();
        foreach (var team in teams)
        {
            if (team.Host is { Length: > 0 } serviceUrl && await roster.GetMembersAsync(serviceUrl, team.ExternalId, ct) is { } members)
            {
                read[team.TeamId] = members;
            }
        }

        return new TenantRoster(read);
    }

    public async Task<SendResult> OpenPersonalChatAsync(ClaimedDelivery row, string host, CancellationToken ct)
    {
        using var oneTry = ConnectorRetry.WithoutRetries();
        var created = await connector.CreatePersonalConversationAsync(host, row.TenantExternalId, BotId, row.PersonUserId ?? "", ct);
        return created.IsSuccess && created.Value is { Length: > 0 } conversationId
            ? SendResult.Sent(null, conversationId)
            : Map(created, created.IsSuccess ? "the connector created no conversation id" : null);
    }

    public async Task<SendResult> SendAsync(OutboundAddress address, Reply content, CancellationToken ct)
    {
        using var oneTry = ConnectorRetry.WithoutRetries();
        return Map(await connector.SendAsync(address.Host ?? "", address.ConversationId, Message(address.ConversationId, content), ct));
    }

    public async Task<SendResult> UpdateAsync(OutboundAddress address, string messageId, Reply content, CancellationToken ct)
    {
        using var oneTry = ConnectorRetry.WithoutRetries();
        return Map(await connector.UpdateAsync(address.Host ?? "", address.ConversationId, messageId, Message(address.ConversationId, content) with { Id = messageId }, ct));
    }

    /// <summary>A proactive message: the card as its own attachment (Teams splits text + card), else plain text.</summary>
    public static Activity Message(string conversationId, Reply content) => new()
    {
        Type = ActivityTypes.Message,
        Conversation = new ConversationAccount { Id = conversationId },
        Text = content.Card is null ? content.Text : null,
        Summary = content.Card?.Title,
        Attachments = content.Card is null ? null : [new Attachment { ContentType = AdaptiveCardRenderer.ContentType, Content = AdaptiveCardRenderer.Render(content.Card) }],
    };

    public static SendResult Map(ConnectorResult result, string? problem = null)
    {
        if (problem is not null)
        {
            return new SendResult(SendStatus.Failed) { Error = problem };
        }

        if (result.IsSuccess || result.Failure == ConnectorFailure.InvalidResponse)
        {
            return SendResult.Sent((result as ConnectorResult<string>)?.Value);
        }

        var error = $"{(int?)result.StatusCode} {result.Failure} {result.ErrorCode ?? result.ErrorMessage}".Trim();
        var status = result.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => SendStatus.Throttled,
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound => SendStatus.Unreachable,
            HttpStatusCode.PreconditionFailed or >= HttpStatusCode.InternalServerError => SendStatus.Retry,
            null when result.Failure is ConnectorFailure.NoResponse or ConnectorFailure.TokenUnavailable => SendStatus.Retry,
            _ => SendStatus.Failed,
        };
        return new SendResult(status) { Error = error, RetryAfter = result.RetryAfter, Correlation = result.CorrelatingOperationId };
    }

    /// <summary>The bot's Teams id; local clients (no AppId) do not check it.</summary>
    private string BotId => teams.Value.IsAuthenticated ? $"28:{teams.Value.AppId}" : "28:alignmentbot-local";
}
