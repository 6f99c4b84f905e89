using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Okrs;

public static class OkrsServiceCollectionExtensions
{
    /// <summary>OKRs in chat: <c>okrs</c>, <c>away</c>, the check-in card, and the nudges' cards (the ladder itself is in the scheduler).</summary>
    public static IServiceCollection AddOkrs(this IServiceCollection services)
    {
        services.AddSingleton<OkrStore>();
        services.AddSingleton<DependencyViews>();
        services.AddSingleton<IBotCommand, OkrsCommand>();
        services.AddSingleton<IBotCommand, AwayCommand>();
        services.AddSingleton<IBotCommand, DependsOnCommand>();
        services.AddSingleton<IBotCommand, NoLongerDependsCommand>();
        services.AddSingleton<ICardAction, OpenCheckinAction>();
        services.AddSingleton<ICardAction, CheckinAction>();
        services.AddSingleton<ICardAction, SnoozeAction>();
        services.AddSingleton<IDeliveryKind, OwnerNudgeKind>();
        services.AddSingleton<IDeliveryKind, ManagerNudgeKind>();
        services.AddSingleton<IDeliveryKind, DependencySlippedKind>();
        services.AddSingleton<IDeliveryKind, DependencyResolvedKind>();
        return services;
    }
}
