using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Help;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlignmentBot.Bot.Turns;

public static class TurnsServiceCollectionExtensions
{
    /// <summary>Turn handling for every platform: who-is-where bookkeeping, commands and card actions.</summary>
    public static IServiceCollection AddTurns(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DirectoryCache>();
        services.TryAddSingleton<TurnDirectory>();
        services.TryAddSingleton<ConversationDirectory>();
        services.TryAddSingleton<TurnProcessor>();
        services.TryAddSingleton<BotMessages>();

        // Each platform's adapter calls this: the help command and action are registered once however often.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBotCommand, HelpCommand>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICardAction, ShowHelpAction>());
        return services;
    }
}
