using AlignmentBot.Tests.Support;
using Quartz;

namespace AlignmentBot.Tests.Scheduler;

/// <summary>Several instances on one database share one schedule; each trigger fires exactly once.</summary>
public class ClusterTests
{
    [Test]
    public async Task Two_scheduler_instances_register_and_each_job_scheduled_through_one_fires_once_across_both()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync(ProbeJob.Table);
        await using var first = await ClusterNode.StartAsync(database);
        await using var second = await ClusterNode.StartAsync(database);

        var instances = await Eventually.ValueAsync(
            () => database.ScalarAsync<long>("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state WHERE sched_name = 'AlignmentBot'"),
            count => count == 2, TimeSpan.FromSeconds(30), "both instances in qrtz_scheduler_state");
        Assert.That(first.Scheduler.SchedulerInstanceId, Is.Not.EqualTo(second.Scheduler.SchedulerInstanceId));

        const int jobs = 20;
        var fireAt = TimeProvider.System.GetUtcNow().AddSeconds(1);
        for (var i = 0; i < jobs; i++)
        {
            await first.Scheduler.ScheduleJob(
                JobBuilder.Create<ProbeJob>().WithIdentity($"probe-{i}").Build(),
                TriggerBuilder.Create().WithIdentity($"probe-{i}").StartAt(fireAt).Build());
        }

        Assert.That(await second.Scheduler.Exists(new JobKey("probe-7"), CancellationToken.None), Is.True, "the other instance sees the stored job");

        // Done when every one-shot probe trigger has fired and completed (Quartz then deletes it); the app's own
        // recurring triggers (e.g. closing pulse runs) stay.
        await Eventually.ValueAsync(
            () => database.ScalarAsync<long>("SELECT (SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE 'probe-%') + (SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_name LIKE 'probe-%')"),
            remaining => remaining == 0, TimeSpan.FromSeconds(60), "every trigger to fire and complete");

        Assert.Multiple(async () =>
        {
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM probe_fires"), Is.EqualTo(jobs), "fired once each, not twice");
            Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT job) FROM probe_fires"), Is.EqualTo(jobs));
        });
        Assert.That(instances, Is.EqualTo(2));
    }

    [Test]
    public async Task A_job_scheduled_through_a_paused_instance_is_fired_by_the_other()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync(ProbeJob.Table);
        await using var scheduling = await ClusterNode.StartAsync(database);
        await using var firing = await ClusterNode.StartAsync(database);
        await scheduling.Scheduler.Standby();

        await scheduling.Scheduler.ScheduleJob(
            JobBuilder.Create<ProbeJob>().WithIdentity("handed-over").Build(),
            TriggerBuilder.Create().WithIdentity("handed-over").StartNow().Build());

        var firedBy = await Eventually.ValueAsync(
            () => database.ScalarAsync<string>("SELECT instance FROM probe_fires WHERE job = 'handed-over'"),
            instance => instance is not null, TimeSpan.FromSeconds(60), "the job to fire");

        Assert.That(firedBy, Is.EqualTo(firing.Scheduler.SchedulerInstanceId));
    }

    [Test]
    public async Task Two_bot_processes_on_one_database_run_side_by_side_in_one_cluster()
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Scheduler__CheckinInterval"] = "00:00:02",
        };
        await using var first = BotProcess.Start(environment);
        await using var second = BotProcess.Start(environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        foreach (var bot in new[] { first, second })
        {
            await Eventually.ValueAsync(
                async () => await Health(http, bot),
                body => body.Contains("\"scheduler\":\"ok\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), $"{bot.BaseAddress} to be healthy (stderr: {bot.StandardError})");
        }

        var members = await Eventually.ValueAsync(
            () => database.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'AlignmentBot'"),
            count => count == 2, TimeSpan.FromSeconds(30), "both processes in qrtz_scheduler_state");
        Assert.That(members, Is.EqualTo(2));

        Assert.That(await first.StopGracefullyAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), "SIGTERM shuts down cleanly");
        Assert.That(await Health(http, second), Does.Contain("\"status\":\"ok\""), "the other instance carries on");
    }

    private static async Task<string> Health(HttpClient http, BotProcess bot)
    {
        try
        {
            return await http.GetStringAsync(new Uri(bot.BaseAddress, "/healthz"));
        }
        catch (HttpRequestException)
        {
            return bot.HasExited ? throw new AssertionException($"the bot exited: {bot.StandardError}") : "not listening yet";
        }
    }
}
