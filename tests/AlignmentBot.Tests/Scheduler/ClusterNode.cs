using AlignmentBot.Scheduler;
using AlignmentBot.Storage;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;

namespace AlignmentBot.Tests.Scheduler;

/// <summary>One scheduler instance: a generic host with the app's real storage and scheduling set-up.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterNode(IHost host) => _host = host;

    public IScheduler Scheduler { get; private set; } = null!;

    public static async Task<ClusterNode> StartAsync(TestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Scheduler:CheckinInterval"] = "00:00:02",
        });
        builder.Services.AddStorage();
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddJob<ProbeJob>();

        var node = new ClusterNode(builder.Build());
        await node._host.StartAsync();
        node.Scheduler = await Eventually.ValueAsync(
            async () => await node._host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(),
            scheduler => scheduler.Status == SchedulerStatus.Running,
            TimeSpan.FromSeconds(30),
            "the scheduler to start");
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>Records which instance fired it, so a test can count fires across the cluster.</summary>
public sealed class ProbeJob(NpgsqlDataSource dataSource) : IJob
{
    public const string Table = """
        CREATE TABLE probe_fires (job text NOT NULL, instance text NOT NULL)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO probe_fires (job, instance) VALUES ($1, $2)");
        command.Parameters.AddWithValue(context.JobDetail.Key.Name);
        command.Parameters.AddWithValue(context.Scheduler.SchedulerInstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
