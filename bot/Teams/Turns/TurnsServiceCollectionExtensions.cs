using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Teams.Directory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlignmentBot.Bot.Teams.Turns;

public static class TurnsServiceCollectionExtensions
{
    /// <summary>Turn handling: who-is-where bookkeeping, commands and card actions.</summary>
    public static IServiceCollection AddTurns(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DirectoryCache>();
        services.AddSingleton<AnsweredFirst>();
        services.AddHostedService<AnsweredFirstWorker>();
        services.AddSingleton<TurnDirectory>();
        services.AddSingleton<ConversationDirectory>();
        services.AddSingleton<ActivityRecorder>();
        services.AddSingleton<TurnProcessor>();
        services.AddSingleton<TeamsReplySender>();
        services.AddSingleton<BotMessages>();
        services.AddSingleton<PersonalChats>();

        services.AddSingleton<IBotCommand, HelpCommand>();
        services.AddSingleton<ICardAction, ShowHelpAction>();
        return services;
    }
}
