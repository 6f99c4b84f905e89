using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Reports in /healthz the outbox's queue depth, the age of its oldest due message, the sends in flight (the
/// crash bound) and what the dispatcher holds in memory.
/// </summary>
public sealed class DeliveryHealthCheck(DeliveryStore store, InFlightGate inFlight, DeliveryDispatcher dispatcher, TenantPacer pacer, ConnectorLatency latency, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = await store.StatsAsync(time.GetUtcNow(), cancellationToken);
            var tokens = pacer.Tokens();
            return HealthCheckResult.Healthy("ok", new Dictionary<string, object>
            {
                ["queueDepth"] = stats.Depth,
                ["oldestDueSeconds"] = Math.Round(stats.OldestDueSeconds, 1),
                // The crash bound: sends in flight now, the limit, and the most there have been since start.
                ["inFlight"] = inFlight.Count,
                ["inFlightLimit"] = inFlight.Limit,
                ["inFlightPeak"] = inFlight.Peak,
                // Who waits for whom: sends queued for a place in flight, and where the tenants' tokens are.
                ["inFlightWaiting"] = inFlight.Waiting,
                ["latencyP90Ms"] = Math.Round(latency.P90.TotalMilliseconds),
                ["tokensGranted"] = tokens.Granted,
                ["tokensSent"] = tokens.Sent,
                ["tokensReturning"] = tokens.Returning,
                ["arrivalAllowanceMs"] = Math.Round(pacer.LargestAllowance().TotalMilliseconds),
                ["workers"] = dispatcher.Workers,
                ["tenantsInMemory"] = dispatcher.TenantsInMemory,
                ["tenantsPaced"] = pacer.TenantCount,
            });
        }
        catch (Npgsql.NpgsqlException)
        {
            // The database check names the cause; the outbox is only unknown meanwhile.
            return HealthCheckResult.Degraded("unknown");
        }
    }
}
