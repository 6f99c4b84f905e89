using System.Diagnostics;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Quartz;

namespace AlignmentBot.Tests.Observability;

/// <summary>A Quartz job run is a trace of its own: Quartz's job span, with the job's SQL inside it.</summary>
public class JobTraceTests
{
    [Test]
    public async Task A_job_run_is_traced_by_quartz_with_its_sql_inside()
    {
        await using var database = await TestDatabase.CreateAsync();
        var spans = new List<Activity>();
        await using var bot = new BotFactory(database);
        await using var traced = bot.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddBotTracing().AddInMemoryExporter(spans))));
        var scheduler = await traced.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(new JobKey(EnqueueDigestsJob.Name, EnqueueDigestsJob.Group));

        List<Activity> Snapshot()
        {
            lock (spans)
            {
                return [.. spans];
            }
        }

        static bool IsOurJob(Activity s) => s.Source.Name == BotTelemetry.QuartzSourceName && s.OperationName == "Quartz.Job.Execute"
            && (s.DisplayName.Contains(EnqueueDigestsJob.Name, StringComparison.Ordinal) || s.TagObjects.Any(t => Equals(t.Value, EnqueueDigestsJob.Name)));
        var job = await Eventually.ValueAsync(() => Task.FromResult(Snapshot().FirstOrDefault(IsOurJob)), s => s is not null, TimeSpan.FromSeconds(30),
            "the job's span");
        var run = job!;
        Assert.That(run.Source.Name, Is.EqualTo(BotTelemetry.QuartzSourceName), "Quartz's own span, from the source the bot traces");
        var sql = await Eventually.ValueAsync(() => Task.FromResult(Snapshot().Where(s => s.Source.Name == "Npgsql" && s.TraceId == run.TraceId).ToList()),
            found => found.Count > 0, TimeSpan.FromSeconds(10), "the job's SQL in its trace");
        Assert.That(sql.Any(s => s.ParentSpanId == run.SpanId), Is.True, "the job's queries are children of its span");
    }
}
