using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// The <c>graph</c> part of <c>/healthz</c>: how the last sync went. A credential or permission problem is
/// degraded (the bot still works, only Graph's facts go stale; a restart would not help, so not unhealthy).
/// </summary>
public sealed class GraphHealth(IOptions<GraphOptions> options) : IHealthCheck
{
    private volatile string? _problem;
    private volatile string _last = "not synced yet";

    public void Succeeded(string summary)
    {
        _problem = null;
        _last = summary;
    }

    public void Failed(string problem) => _problem = problem;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!options.Value.Enabled ? HealthCheckResult.Healthy("off")
            : _problem is { } problem ? HealthCheckResult.Degraded(problem)
            : HealthCheckResult.Healthy(_last));
}
