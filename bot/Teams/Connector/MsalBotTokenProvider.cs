using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.Abstractions;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>
/// Client-credentials tokens for the Bot Connector from Entra ID through MSAL. One confidential client
/// for the app's lifetime: its in-memory cache keeps the token and refreshes it ahead of expiry, one
/// request at a time.
/// </summary>
internal sealed class MsalBotTokenProvider : IBotTokenProvider
{
    /// <summary>The named HttpClient MSAL talks to Entra ID with (no resilience handler: MSAL retries on its own).</summary>
    public const string HttpClientName = "AlignmentBot.Teams.Entra";
    public const string Scope = "https://api.botframework.com/.default";
    private static readonly string[] Scopes = [Scope];

    private readonly Lazy<IConfidentialClientApplication>? _application;

    public MsalBotTokenProvider(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, ILogger<MsalBotTokenProvider> logger)
    {
        var teams = options.Value;
        if (teams.IsAuthenticated)
        {
            _application = new Lazy<IConfidentialClientApplication>(() => ConfidentialClientApplicationBuilder
                .Create(teams.AppId)
                .WithClientSecret(teams.AppPassword)
                .WithAuthority(Authority(teams.TenantId))
                .WithHttpClientFactory(new FactoryAdapter(httpClients))
                .WithLogging(new LoggerAdapter(logger), enablePiiLogging: false)
                .Build());
        }
    }

    public bool HasCredentials => _application is not null;

    public static string Authority(string? tenantId) => $"https://login.microsoftonline.com/{tenantId}";

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_application is null)
        {
            return null;
        }

        var result = await _application.Value.AcquireTokenForClient(Scopes).ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }

    private sealed class FactoryAdapter(IHttpClientFactory httpClients) : IMsalHttpClientFactory
    {
        // IHttpClientFactory pools the handlers, so a client per call is the intended use.
        public HttpClient GetHttpClient() => httpClients.CreateClient(HttpClientName);
    }

    /// <summary>MSAL's warnings and errors into our log; PII stays off.</summary>
    private sealed class LoggerAdapter(ILogger logger) : IIdentityLogger
    {
        public bool IsEnabled(EventLogLevel eventLogLevel) => eventLogLevel is > EventLogLevel.LogAlways and <= EventLogLevel.Warning && logger.IsEnabled(LogLevel.Warning);

        public void Log(LogEntry entry)
        {
            // MSAL passes on messages below the level IsEnabled accepted; keep warnings and errors only.
            if (entry.EventLogLevel is > EventLogLevel.LogAlways and <= EventLogLevel.Warning)
            {
                logger.Log(entry.EventLogLevel <= EventLogLevel.Error ? LogLevel.Error : LogLevel.Warning, "MSAL: {Message}", entry.Message);
            }
        }
    }
}
