namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>The bearer token the bot sends to the Bot Connector.</summary>
public interface IBotTokenProvider
{
    /// <summary>False in local mode (no AppId): requests go without an Authorization header.</summary>
    bool HasCredentials { get; }

    /// <summary>
    /// A valid token, cached and refreshed by the provider; null when <see cref="HasCredentials"/> is false.
    /// Throws <see cref="Microsoft.Identity.Client.MsalException"/> when the identity platform refuses.
    /// </summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}
