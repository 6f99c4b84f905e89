using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The outbox dispatcher: pacing, sending, metrics and its part of /healthz.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<TenantPacer>();
        services.AddSingleton<TenantOwnershipStore>();
        services.AddSingleton<TenantOwnership>();
        services.AddSingleton<ConversationPacer>();
        services.AddSingleton<SentRecorder>();
        services.AddSingleton<ConnectorLatency>();
        // The dispatcher sizes it as soon as it runs; until then a modest start.
        services.AddSingleton(provider => new InFlightGate(Math.Min(64, provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.MaxInFlight)));
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<IDeliveryKind, NoticeKind>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryDispatcher>());
        services.AddHealthChecks().AddCheck<DeliveryHealthCheck>("delivery");
        return services;
    }
}
