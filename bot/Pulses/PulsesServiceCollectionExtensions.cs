using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Bot.Pulses;

public static class PulsesServiceCollectionExtensions
{
    /// <summary>Pulse surveys: definitions, opening runs (their cards go out through the outbox).</summary>
    public static IServiceCollection AddPulses(this IServiceCollection services)
    {
        services.AddSingleton<SurveyStore>();
        services.AddSingleton<PulseRunOpener>();
        return services;
    }
}
