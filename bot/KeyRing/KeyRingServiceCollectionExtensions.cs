using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.KeyRing;

public static class KeyRingServiceCollectionExtensions
{
    /// <summary>The application name every instance shares, so each reads what the others protected.</summary>
    public const string ApplicationName = "AlignmentBot";

    /// <summary>
    /// Data Protection with its key ring in PostgreSQL. Every feature that protects something (the dashboard's sign-in,
    /// Slack's tokens and install states) asks for it; registering it twice changes nothing.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(DatabaseKeyRing)))
        {
            return services;
        }

        services.AddSingleton<DatabaseKeyRing>();
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = provider.GetRequiredService<DatabaseKeyRing>()));
        return services;
    }
}
