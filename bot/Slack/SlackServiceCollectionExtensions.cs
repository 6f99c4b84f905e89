using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Slack.Install;
using AlignmentBot.Bot.Turns;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Slack: verified endpoints, the Web API client, its side of turns and its outbound transport. Off while Slack:SigningSecret is empty.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddTurns();
        services.AddHttpClient<SlackWebApi>(SlackWebApi.HttpClientName, (provider, http) =>
        {
            http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl);
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        services.AddSingleton<SlackRequests>();
        services.AddSingleton<SlackEventStore>();
        services.AddSingleton<SlackDirectory>();
        services.AddSingleton<SlackTokens>();
        services.AddSlackInstall();
        services.AddSingleton<SlackReplies>();
        services.AddSingleton<SlackModals>();
        services.AddSingleton<SlackPages>();
        services.AddSingleton<SlackPeopleSync>();
        services.AddSingleton<SlackRoster>();
        services.AddSingleton<SlackTeams>();
        services.AddSingleton<SlackEvents>();
        services.AddSingleton<SlackBackground>();
        services.AddHostedService(provider => provider.GetRequiredService<SlackBackground>());
        services.AddSingleton<IChatTransport, SlackTransport>();
        return services;
    }

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SlackEventsEndpoint.Path, SlackEventsEndpoint.HandleAsync);
        endpoints.MapPost(SlackInteractivityEndpoint.Path, SlackInteractivityEndpoint.HandleAsync);
        endpoints.MapPost(SlackCommandsEndpoint.Path, SlackCommandsEndpoint.HandleAsync);
        endpoints.MapSlackInstall();
        return endpoints;
    }
}
