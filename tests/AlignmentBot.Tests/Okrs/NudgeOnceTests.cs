using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using ClusterNode = AlignmentBot.Tests.Scheduler.ClusterNode;

namespace AlignmentBot.Tests.Okrs;

/// <summary>The nudge job run twice for one instant, or on two scheduler instances at once, decides and sends each nudge once.</summary>
public class NudgeOnceTests
{
    // A Tuesday, 10:00 in London: inside working hours; the key results below are overdue by then.
    private static readonly DateTimeOffset At = new(2027, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static async Task<TestDatabase> OverdueTeamAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var seed = await new PulseSeed(database).TenantAsync("Europe/London");
        var team = await seed.TeamAsync("Platform");
        var okrs = new OkrSeed(database, seed);
        var objective = await okrs.ObjectiveAsync(team, "Make onboarding effortless");
        for (var i = 0; i < 20; i++)
        {
            var owner = await seed.PersonAsync(team, $"owner-{i}", "Europe/London");
            await okrs.KeyResultAsync(objective, owner, $"KR {i}", At.AddDays(-9));
        }

        return database;
    }

    private static Task<long> NudgesAsync(TestDatabase database) => database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'nudge-owner'");

    [Test]
    public async Task Planning_the_same_instant_twice_enqueues_each_nudge_once()
    {
        await using var database = await OverdueTeamAsync();
        await using var dataSource = database.CreateDataSource();
        var planner = new NudgePlanner(dataSource, new Outbox(dataSource, new FakeTimeProvider(At)));

        var first = await planner.PlanAsync(At, CancellationToken.None);
        var second = await planner.PlanAsync(At, CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((20, 0)));
        Assert.That(await NudgesAsync(database), Is.EqualTo(20));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM nudges"), Is.EqualTo(20), "one ladder step each");
    }

    [Test]
    public async Task Two_scheduler_instances_firing_the_nudge_job_for_the_same_instant_send_each_nudge_once()
    {
        await using var database = await OverdueTeamAsync();
        await using var first = await ClusterNode.StartAsync(database);
        await using var second = await ClusterNode.StartAsync(database);

        // Each instance schedules its own one-shot trigger of the real job, firing at the same moment and planning the
        // same instant, as when a fire is repeated after a failover.
        var fireAt = TimeProvider.System.GetUtcNow().AddSeconds(2);
        foreach (var (node, name) in new[] { (first, "a"), (second, "b") })
        {
            await node.Scheduler.ScheduleJob(
                JobBuilder.Create<NudgeScanJob>().WithIdentity($"nudge-once-{name}").UsingJobData(NudgeScanJob.AtKey, At.ToString("O")).Build(),
                TriggerBuilder.Create().WithIdentity($"nudge-once-{name}").StartAt(fireAt).Build());
        }

        await Eventually.ValueAsync(
            () => database.ScalarAsync<long>("SELECT (SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE 'nudge-once-%') + (SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_name LIKE 'nudge-once-%')"),
            remaining => remaining == 0, TimeSpan.FromSeconds(60), "both triggers to fire and complete");

        Assert.That(await NudgesAsync(database), Is.EqualTo(20));
        Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT idempotency_key) FROM deliveries"), Is.EqualTo(20));
    }

    [Test]
    public async Task Two_planners_racing_on_one_database_decide_each_step_once()
    {
        await using var database = await OverdueTeamAsync();
        await using var one = database.CreateDataSource();
        await using var two = database.CreateDataSource();
        var clock = new FakeTimeProvider(At);

        var counts = await Task.WhenAll(
            new NudgePlanner(one, new Outbox(one, clock)).PlanAsync(At, CancellationToken.None),
            new NudgePlanner(two, new Outbox(two, clock)).PlanAsync(At, CancellationToken.None));

        Assert.That(counts.Sum(), Is.EqualTo(20));
        Assert.That(await NudgesAsync(database), Is.EqualTo(20));
    }
}
