using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace AlignmentBot.Bot.Slack.Install;

public static class SlackInstallServiceCollectionExtensions
{
    /// <summary>The application name every instance shares, so they all read each other's protected tokens and states.</summary>
    public const string DataProtectionApplicationName = "AlignmentBot";

    /// <summary>The OAuth install, encrypted tokens (Data Protection with its key ring in PostgreSQL) and token rotation.</summary>
    public static IServiceCollection AddSlackInstall(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((o, dataSource) => o.XmlRepository = new PostgresXmlRepository(dataSource));
        services.AddSingleton<SlackTokenProtector>();
        services.AddSingleton<SlackInstallState>();
        services.AddSingleton<SlackInstallStore>();
        services.AddSingleton<SlackWorkspaceTokens>();
        return services;
    }
}
