using AlignmentBot.Bot.Teams.Auth;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Turns;

namespace AlignmentBot.Bot.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>Microsoft Teams: inbound authentication, the Bot Connector client, turns and who-is-where.</summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddTeamsConnector();
        services.AddTurns();
        services.AddSingleton<ITeamRoster, ConnectorTeamRoster>();
        services.AddTeamsAuthentication();
        services.AddHostedService<UnauthenticatedModeWarning>();
        return services;
    }
}
