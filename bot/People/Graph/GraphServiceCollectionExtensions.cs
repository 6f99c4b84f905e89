using AlignmentBot.Bot.Directory;
using AlignmentBot.Scheduler;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.People.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>Microsoft Graph sync: options (validated at start-up), the job, its schedule, the install hook and the <c>graph</c> health part.</summary>
    public static IServiceCollection AddGraphSync(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        services.AddSingleton<GraphCredentials>();
        services.AddSingleton<GraphHealth>();
        services.AddSingleton<GraphSync>();
        services.AddJob<GraphSyncJob>();
        services.AddHostedService<GraphSyncSchedule>();
        services.AddSingleton<ITeamInstalledHandler, GraphSyncOnInstall>();
        services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "graph", sp => sp.GetRequiredService<GraphHealth>(), failureStatus: null, tags: null));
        return services;
    }
}
