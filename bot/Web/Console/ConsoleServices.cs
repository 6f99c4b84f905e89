namespace AlignmentBot.Bot.Web.Console;

/// <summary>The admin console's services (its pages are found by the dashboard's router).</summary>
public static class ConsoleServices
{
    /// <summary>The console's routes start here; the nav and tests use these.</summary>
    public const string Path = "/console";

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleGate>();
        services.AddSingleton<ConsoleSettings>();
        return services;
    }
}
