using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Pulses;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Pulses;

public static class PulsesServiceCollectionExtensions
{
    /// <summary>Pulse surveys: definitions, opening runs (their cards go out through the outbox).</summary>
    public static IServiceCollection AddPulses(this IServiceCollection services)
    {
        services.AddSingleton<SurveyStore>();
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        services.AddSingleton<RespondentKeys>();
        services.AddSingleton<PulseStore>();
        services.AddSingleton<AnsweredMarker>();
        services.AddHostedService(provider => provider.GetRequiredService<AnsweredMarker>());
        services.AddSingleton<IDeliveryKind, PulseDeliveryKind>();
        services.AddSingleton<IDeliveryKind, PulseReminderKind>();
        services.AddSingleton<PulseResults>();
        services.AddSingleton<ITeamInstalledHandler, DefaultPulse>();
        services.AddSingleton<IBotCommand, ResultsCommand>();
        services.AddSingleton<ICardAction, PulseSubmitAction>();
        services.AddSingleton<ICardAction, PulseEditAction>();
        services.AddSingleton<ICardAction, PulseAnswerAction>();
        services.AddSingleton<IBotCommand, PulseCommand>();
        return services;
    }
}
