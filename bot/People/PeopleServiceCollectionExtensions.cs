using AlignmentBot.Bot.People.Graph;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Scheduler.People.Import;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>Who is who: the people file and its read-back, and the chat commands a person uses about themself.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddOptions<PeopleOptions>().BindConfiguration(PeopleOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PeopleOptions>, PeopleOptionsValidator>();
        services.AddSingleton<PeopleImporter>();
        services.AddSingleton<PeopleAdminStore>();
        services.AddSingleton<IBotCommand, MeCommand>();
        services.AddSingleton<IBotCommand, PulsesCommand>();
        services.AddSingleton<IBotCommand, TimeZoneCommand>();
        services.AddSingleton<RosterRefresh>();
        services.AddJob<RosterRefreshJob>();
        services.AddHostedService<RosterRefreshSchedule>();
        services.AddGraphSync();
        return services;
    }
}
