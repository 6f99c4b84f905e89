using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;

namespace AlignmentBot.Bot.Digests;

public static class DigestsServiceCollectionExtensions
{
    /// <summary>Weekly digests: their cards (rendered when sent), the <c>digest</c> command, the settings store.</summary>
    public static IServiceCollection AddDigests(this IServiceCollection services)
    {
        services.AddSingleton<DigestSettingsStore>();
        services.AddSingleton<DigestChartLink>();
        services.AddSingleton<IDeliveryKind, TeamDigestKind>();
        services.AddSingleton<IDeliveryKind, RollupDigestKind>();
        services.AddSingleton<IBotCommand, DigestCommand>();
        return services;
    }
}
