using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace AlignmentBot.Scheduler.Hosting;

/// <summary>Healthy while this instance's Quartz scheduler is running (started, not paused, not shut down).</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulerFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        return scheduler.Status switch
        {
            SchedulerStatus.Running => HealthCheckResult.Healthy("ok"),
            // Quartz starts once the application has started; a moment of this is normal.
            SchedulerStatus.Created or SchedulerStatus.Unknown => HealthCheckResult.Degraded("starting"),
            SchedulerStatus.Standby => HealthCheckResult.Degraded("standby"),
            _ => HealthCheckResult.Unhealthy("shut down"),
        };
    }
}
