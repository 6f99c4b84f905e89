using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Teams.Auth;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Delivery;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Turns;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>Microsoft Teams: inbound authentication, the Bot Connector client, its side of turns and its outbound transport.</summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddTeamsConnector();
        services.AddTurns();
        services.AddSingleton<AnsweredFirst>();
        services.AddHostedService<AnsweredFirstWorker>();
        services.AddSingleton<ActivityRecorder>();
        services.AddSingleton<TeamsTurnProcessor>();
        services.AddSingleton<TeamsReplySender>();
        services.AddSingleton<PersonalChats>();
        services.AddSingleton<ITeamRoster, ConnectorTeamRoster>();
        services.AddSingleton<IChatTransport, TeamsTransport>();
        services.AddTeamsAuthentication();
        services.AddHostedService<UnauthenticatedModeWarning>();
        return services;
    }
}
