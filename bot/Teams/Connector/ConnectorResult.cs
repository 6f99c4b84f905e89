using System.Net;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>Why a call got no usable HTTP answer from the Bot Connector.</summary>
public enum ConnectorFailure
{
    /// <summary>The connector answered; see <see cref="ConnectorResult.StatusCode"/>.</summary>
    None,

    /// <summary>Refused before sending: the serviceUrl is malformed or its host is not allowed to receive our token.</summary>
    ServiceUrlNotAllowed,

    /// <summary>No outbound token could be obtained (e.g. a wrong secret); nothing was sent.</summary>
    TokenUnavailable,

    /// <summary>The request failed on the network or timed out; it may or may not have arrived.</summary>
    NoResponse,

    /// <summary>A success status whose body was not what the protocol promises.</summary>
    InvalidResponse,
}

/// <summary>
/// The outcome of one Bot Connector call. HTTP outcomes are values, not exceptions: the delivery code
/// decides what a 403 or a 429 means for the conversation and the tenant.
/// </summary>
public record ConnectorResult
{
    /// <summary>The final answer's status (after retries); null when nothing was answered (see <see cref="Failure"/>).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    public ConnectorFailure Failure { get; init; }

    /// <summary>The answer's Retry-After, from delta-seconds or an HTTP date.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Teams' <c>error.code</c>, e.g. <see cref="ConnectorErrorCodes.MessageWritesBlocked"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Teams' <c>error.message</c>, or what went wrong locally.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The <c>X-Correlating-OperationId</c> header: quote it to Microsoft support.</summary>
    public string? CorrelatingOperationId { get; init; }

    public bool IsSuccess => Failure == ConnectorFailure.None && StatusCode is { } status && (int)status is >= 200 and <= 299;

    public bool IsThrottled => StatusCode == HttpStatusCode.TooManyRequests;
}

/// <summary>A <see cref="ConnectorResult"/> that carries what a successful call returned.</summary>
public sealed record ConnectorResult<T> : ConnectorResult
{
    /// <summary>What the call returned; may be null even on success (Teams sometimes answers without an id).</summary>
    public T? Value { get; init; }
}

/// <summary>Error codes Teams puts in <c>{"error":{"code":...}}</c> that the bot acts on.</summary>
public static class ConnectorErrorCodes
{
    /// <summary>403: the app was removed or the bot may no longer write here. Stop sending to this conversation.</summary>
    public const string MessageWritesBlocked = "MessageWritesBlocked";

    /// <summary>403: the user blocked the bot.</summary>
    public const string ConversationBlockedByUser = "ConversationBlockedByUser";
}
