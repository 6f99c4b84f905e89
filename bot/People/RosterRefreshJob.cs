using Quartz;

namespace AlignmentBot.Bot.People;

/// <summary>Every <c>People:RosterRefreshInterval</c>, on one instance of the cluster: <see cref="RosterRefresh"/>.</summary>
[DisallowConcurrentExecution]
public sealed class RosterRefreshJob(RosterRefresh refresh) : IJob
{
    public const string Name = "roster-refresh";
    public const string Group = "people";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await refresh.RefreshAsync(cancellationToken);
}
