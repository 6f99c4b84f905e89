using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Scheduler;
using AlignmentBot.Tests.Support;
using JobKey = Quartz.JobKey;

namespace AlignmentBot.Tests.Digests;

/// <summary>The real digest job on two clustered Quartz instances sharing one database.</summary>
public class DigestClusterTests
{
    [Test]
    public async Task The_digest_job_fired_on_both_instances_posts_each_digest_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fixture = await new DigestFixture(database).CreateAsync();
        // Due from Monday 00:00 UTC: whatever the real date, this week's digests have come (the job uses the real clock here).
        await database.ExecuteAsync($"UPDATE tenants SET time_zone = 'UTC', digest_time = '00:00' WHERE id = {fixture.TenantId}");
        await using var first = await ClusterNode.StartAsync(database);
        await using var second = await ClusterNode.StartAsync(database);

        var job = new JobKey(EnqueueDigestsJob.Name, EnqueueDigestsJob.Group);
        Assert.That(await second.Scheduler.Exists(job, CancellationToken.None), Is.True, "the job is on the shared store");
        await first.Scheduler.TriggerJob(job);
        await second.Scheduler.TriggerJob(job);
        await first.Scheduler.TriggerJob(job);

        // Done when the three one-shot triggers have fired and completed (the 15-minute trigger stays).
        await Eventually.ValueAsync(
            () => database.ScalarAsync<long>($"""
                SELECT (SELECT count(*) FROM qrtz_triggers WHERE job_name = '{EnqueueDigestsJob.Name}' AND trigger_name <> '{EnqueueDigestsJob.Name}')
                     + (SELECT count(*) FROM qrtz_fired_triggers WHERE job_name = '{EnqueueDigestsJob.Name}')
                """),
            remaining => remaining == 0, TimeSpan.FromSeconds(60), "the job to fire three times and finish");

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'digest'"), Is.EqualTo(1), "one team with a channel: one digest");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'digest-rollup'"), Is.EqualTo(1), "one leader: one roll-up");
    }
}
