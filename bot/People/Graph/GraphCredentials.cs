using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Teams.Connector;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// App-only Graph tokens for the bot's own Entra app (Teams:AppId / AppPassword), one confidential client for the
/// app's lifetime (MSAL caches per tenant and refreshes ahead of expiry). It talks to Entra ID through the same named
/// HttpClient as the connector's tokens.
/// </summary>
public sealed class GraphCredentials
{
    public const string Scope = "https://graph.microsoft.com/.default";
    private static readonly string[] Scopes = [Scope];

    private readonly Lazy<IConfidentialClientApplication> _application;

    public GraphCredentials(IOptions<TeamsOptions> options, IHttpClientFactory httpClients)
    {
        var teams = options.Value;
        _application = new Lazy<IConfidentialClientApplication>(() => ConfidentialClientApplicationBuilder
            .Create(teams.AppId)
            .WithClientSecret(teams.AppPassword)
            .WithAuthority(MsalBotTokenProvider.Authority(string.IsNullOrWhiteSpace(teams.TenantId) ? "organizations" : teams.TenantId))
            .WithHttpClientFactory(new FactoryAdapter(httpClients))
            .Build());
    }

    /// <summary>Bearer tokens for one Entra tenant, as the Graph SDK asks for them.</summary>
    public IAuthenticationProvider For(string tenantId) => new BaseBearerTokenAuthenticationProvider(new TenantTokens(_application, tenantId));

    private sealed class TenantTokens(Lazy<IConfidentialClientApplication> application, string tenantId) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            var result = await application.Value.AcquireTokenForClient(Scopes).WithTenantId(tenantId).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
    }

    private sealed class FactoryAdapter(IHttpClientFactory httpClients) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => httpClients.CreateClient(MsalBotTokenProvider.HttpClientName);
    }
}
