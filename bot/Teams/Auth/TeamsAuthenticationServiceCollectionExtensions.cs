using AlignmentBot.Bot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlignmentBot.Bot.Teams.Auth;

public static class TeamsAuthenticationServiceCollectionExtensions
{
    /// <summary>The inbound authenticator and the HttpClient that fetches the Bot Framework's signing keys.</summary>
    public static IServiceCollection AddTeamsAuthentication(this IServiceCollection services)
    {
        services.AddHttpClient(BotFrameworkAuthenticator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IInboundAuthenticator, BotFrameworkAuthenticator>();
        services.AddSingleton<TeamsActivityPolicy>();
        services.TryAddSingleton<AuthFailureLog>();
        return services;
    }
}
