using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.FocusAreas;

namespace AlignmentBot.Bot.FocusAreas;

public static class FocusAreasServiceCollectionExtensions
{
    /// <summary>Acting on results: a team's focus (set on the dashboard), shown in digests and pulse cards, and its follow-up.</summary>
    public static IServiceCollection AddFocusAreas(this IServiceCollection services)
    {
        services.AddSingleton<FocusAreaStore>();
        services.AddSingleton<FocusFollowupStore>();
        services.AddSingleton<ICardAction, FocusFollowupAction>();
        return services;
    }
}
