namespace AlignmentBot.Bot.Teams.Auth;

/// <summary>
/// Authenticates what arrives on /api/messages the way the Bot Connector requires, in two phases:
/// the token alone (before the body is parsed), then the token against the activity it came with.
/// </summary>
public interface IInboundAuthenticator
{
    /// <summary>Header format, signature (RS256/384/512, published keys), issuer, audience, lifetime.</summary>
    Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken ct);

    /// <summary>The signing key's endorsement for the channel, the serviceurl claim, the serviceUrl's host.</summary>
    AuthenticationOutcome ValidateActivity(TokenCheck token, string? channelId, string? serviceUrl);
}

/// <summary>Phase 1's verdict; on success it carries what phase 2 needs. The reason is for logs only.</summary>
public sealed record TokenCheck(bool Succeeded, string? FailureReason)
{
    /// <summary>The channels the signing key is endorsed for (e.g. "msteams").</summary>
    public IReadOnlyList<string> Endorsements { get; init; } = [];

    /// <summary>The token's <c>serviceurl</c> claim.</summary>
    public string? ServiceUrl { get; init; }

    public static TokenCheck Fail(string reason) => new(false, reason);
}

public sealed record AuthenticationOutcome(bool Succeeded, string? FailureReason)
{
    public static readonly AuthenticationOutcome Success = new(true, null);

    public static AuthenticationOutcome Fail(string reason) => new(false, reason);
}
