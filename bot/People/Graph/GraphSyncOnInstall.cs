using AlignmentBot.Bot.Directory;
using Microsoft.Extensions.Options;
using Quartz;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// Right after an install (the roster is stored by then), the Graph sync runs once on the cluster: the new team's
/// managers and zones arrive before its first pulse instead of the next night. Not inline: the install's turn stays fast.
/// </summary>
public sealed class GraphSyncOnInstall(ISchedulerFactory schedulers, IOptions<GraphOptions> options) : ITeamInstalledHandler
{
    public async Task TeamInstalledAsync(long tenantId, long teamId, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var scheduler = await schedulers.GetScheduler(ct);
        if (await scheduler.GetJobDetail(GraphSyncJob.Key, ct) is not null)
        {
            await scheduler.TriggerJob(GraphSyncJob.Key, ct);
        }
    }
}
