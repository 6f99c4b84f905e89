using AlignmentBot.Bot.KeyRing;

namespace AlignmentBot.Bot.Slack.Install;

public static class SlackInstallServiceCollectionExtensions
{
    /// <summary>The OAuth install, encrypted tokens (Data Protection with its key ring in PostgreSQL) and token rotation.</summary>
    public static IServiceCollection AddSlackInstall(this IServiceCollection services)
    {
        services.AddSharedKeyRing();
        services.AddSingleton<SlackTokenProtector>();
        services.AddSingleton<SlackInstallState>();
        services.AddSingleton<SlackInstallStore>();
        services.AddSingleton<SlackWorkspaceTokens>();
        return services;
    }
}
