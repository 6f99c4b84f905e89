using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlignmentBot.Bot.Delivery;

/// <summary>Reports the outbox's queue depth and the age of its oldest due message in /healthz.</summary>
public sealed class DeliveryHealthCheck(DeliveryStore store, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = await store.StatsAsync(time.GetUtcNow(), cancellationToken);
            return HealthCheckResult.Healthy("ok", new Dictionary<string, object>
            {
                ["queueDepth"] = stats.Depth,
                ["oldestDueSeconds"] = Math.Round(stats.OldestDueSeconds, 1),
            });
        }
        catch (Npgsql.NpgsqlException)
        {
            // The database check names the cause; the outbox is only unknown meanwhile.
            return HealthCheckResult.Degraded("unknown");
        }
    }
}
