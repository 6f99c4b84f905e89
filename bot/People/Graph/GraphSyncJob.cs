using Quartz;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>Every <c>Graph:SyncInterval</c> and right after an install, on one instance of the cluster: <see cref="GraphSync"/>.</summary>
[DisallowConcurrentExecution]
public sealed class GraphSyncJob(GraphSync sync) : IJob
{
    public const string Name = "graph-sync";
    public const string Group = "people";
    public static readonly JobKey Key = new(Name, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sync.SyncAsync(cancellationToken);
}
