namespace AlignmentBot.Bot.Teams.Auth;

// Placeholder for the interface the teams-auth branch provides; replaced when it is merged.
public interface IInboundAuthenticator
{
    Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken ct);

    AuthenticationOutcome ValidateActivity(TokenCheck token, string? channelId, string? serviceUrl);
}

public sealed record TokenCheck(bool Succeeded, string? FailureReason);

public sealed record AuthenticationOutcome(bool Succeeded, string? FailureReason);

// Placeholder: refuses every token until the real authenticator is merged.
internal sealed class RefusingAuthenticator : IInboundAuthenticator
{
    public Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken ct) =>
        Task.FromResult(new TokenCheck(false, "authentication is not implemented yet"));

    public AuthenticationOutcome ValidateActivity(TokenCheck token, string? channelId, string? serviceUrl) =>
        new(false, "authentication is not implemented yet");
}
