using AlignmentBot.Bot.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams.Connector;

public static class TeamsConnectorServiceCollectionExtensions
{
    /// <summary>
    /// The outbound side of Teams: <see cref="BotConnectorClient"/> (typed HttpClient with retries),
    /// the MSAL token provider, the serviceUrl allow-list, and the <c>Teams</c> and
    /// <c>Teams:Connector</c> options, validated at start-up.
    /// </summary>
    public static IServiceCollection AddTeamsConnector(this IServiceCollection services)
    {
        // A second call would stack a second retry handler on the client.
        if (services.Any(s => s.ServiceType == typeof(ServiceUrlAllowList)))
        {
            return services;
        }

        // Binding is idempotent for everything but lists (AllowedServiceUrlHosts may then repeat a host,
        // which does no harm), so another feature may bind Teams options too.
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.AddOptions<TeamsConnectorOptions>().BindConfiguration(TeamsConnectorOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsConnectorOptions>, TeamsConnectorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceUrlAllowList>();

        services.AddHttpClient(MsalBotTokenProvider.HttpClientName).RedactLoggedHeaders(_ => true);
        services.TryAddSingleton<IBotTokenProvider, MsalBotTokenProvider>();

        var connector = services.AddHttpClient<BotConnectorClient>((provider, http) =>
                http.Timeout = provider.GetRequiredService<IOptions<TeamsConnectorOptions>>().Value.Timeout)
            // Typed clients end up held by singletons; recycling connections keeps DNS changes visible.
            .UseSocketsHttpHandler((handler, _) =>
            {
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
                // The outbox keeps up to Delivery:MaxInFlight calls under way: none may wait in the handler for a
                // connection (no per-server cap), and idle ones stay open for the next burst, to be reused.
                handler.MaxConnectionsPerServer = int.MaxValue;
                handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);
                handler.EnableMultipleHttp2Connections = true;
            })
            .RedactLoggedHeaders(_ => true);
        connector.AddResilienceHandler(ConnectorRetry.PipelineName, ConnectorRetry.Configure);
        // Innermost: a paced call's sending is stamped as it reaches the connection, once per attempt.
        connector.AddHttpMessageHandler(() => new PacedRequestHandler());
        return services;
    }
}
