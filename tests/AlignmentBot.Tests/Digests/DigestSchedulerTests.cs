using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Digests;

/// <summary>Which digests are due when, and that each is enqueued once per team (or leader) per ISO week.</summary>
public class DigestSchedulerTests
{
    private TestDatabase _database = null!;
    private DigestFixture _fixture = null!;
    private DigestScheduler _scheduler = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _fixture = await new DigestFixture(_database).CreateAsync();
        _scheduler = NewScheduler();
    }

    [TearDown]
    public async Task StopAsync() => await _database.DisposeAsync();

    private DigestScheduler NewScheduler()
    {
        var dataSource = _database.CreateDataSource();
        return new DigestScheduler(dataSource, new Outbox(dataSource, new FakeTimeProvider(DigestFixture.At)));
    }

    private Task<string?> KeysAsync() =>
        _database.ScalarAsync<string>("SELECT string_agg(idempotency_key || '@' || to_char(not_before AT TIME ZONE 'UTC', 'Dy HH24:MI'), ',' ORDER BY idempotency_key) FROM deliveries");

    [Test]
    public void A_digest_is_due_from_its_local_time_for_the_rest_of_that_ISO_week()
    {
        var nine = new TimeOnly(9, 0);
        // Monday 30 November 2026, 09:00 in Berlin is 08:00 UTC.
        Assert.That(DigestScheduler.Due(new(2026, 11, 30, 7, 59, 0, TimeSpan.Zero), "Europe/Berlin", 1, nine), Is.Null);
        Assert.That(DigestScheduler.Due(new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), "Europe/Berlin", 1, nine),
            Is.EqualTo(((DateTimeOffset)new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), "2026-W49")));
        Assert.That(DigestScheduler.Due(new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), "Europe/Berlin", 1, nine)?.Week, Is.EqualTo("2026-W49"), "Sunday 23:00 local: still that week's");
        Assert.That(DigestScheduler.Due(new(2026, 12, 6, 23, 30, 0, TimeSpan.Zero), "Europe/Berlin", 1, nine), Is.Null, "Monday 00:30 local: a new week, not yet 09:00");
        // Sydney is 11 hours ahead: its Monday 09:00 is Sunday 22:00 UTC.
        Assert.That(DigestScheduler.Due(new(2026, 11, 29, 22, 0, 0, TimeSpan.Zero), "Australia/Sydney", 1, nine)?.Week, Is.EqualTo("2026-W49"));
        // Friday 16:00 in New York.
        Assert.That(DigestScheduler.Due(new(2026, 12, 4, 20, 59, 0, TimeSpan.Zero), "America/New_York", 5, new TimeOnly(16, 0)), Is.Null);
        Assert.That(DigestScheduler.Due(new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero), "America/New_York", 5, new TimeOnly(16, 0))?.At,
            Is.EqualTo(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Running_twice_at_the_same_instant_enqueues_each_digest_once()
    {
        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At, CancellationToken.None), Is.EqualTo(2), "Platform's channel and the one leader");
        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At, CancellationToken.None), Is.Zero);
        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At.AddHours(30), CancellationToken.None), Is.Zero, "later the same week");

        Assert.That(await KeysAsync(), Is.EqualTo($"digest-rollup:{_fixture.TenantId}:2026-W49:person:{_fixture.Leader}@Mon 09:00,digest:{_fixture.Platform}:2026-W49@Mon 09:00"));
    }

    [Test]
    public async Task Two_instances_running_at_once_enqueue_each_digest_once()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewScheduler().EnqueueDueAsync(DigestFixture.At, CancellationToken.None)));

        Assert.That(counts.Sum(), Is.EqualTo(2));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries"), Is.EqualTo(2));
    }

    [Test]
    public async Task Nothing_is_due_before_the_local_time_and_next_week_brings_a_new_digest()
    {
        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At.AddMinutes(-1), CancellationToken.None), Is.Zero);
        await _scheduler.EnqueueDueAsync(DigestFixture.At, CancellationToken.None);
        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At.AddDays(7), CancellationToken.None), Is.EqualTo(2));

        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM deliveries WHERE idempotency_key LIKE 'digest:{_fixture.Platform}:2026-W50'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_team_keeps_its_own_day_and_zone_and_the_roll_up_goes_to_the_leaders_channel_too()
    {
        await _database.ExecuteAsync($"""
            UPDATE teams SET digest_weekday = 5, digest_time = '16:00', time_zone = 'America/New_York' WHERE id = {_fixture.Platform};
            UPDATE tenants SET leaders_conversation_id = (SELECT id FROM conversations WHERE conversation_id = '{DigestFixture.LeadersChannel}') WHERE id = {_fixture.TenantId};
            """);

        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At, CancellationToken.None), Is.EqualTo(2), "the roll-up, twice; not Platform's digest yet");
        Assert.That(await _scheduler.EnqueueDueAsync(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero), CancellationToken.None), Is.EqualTo(1));

        Assert.That(await KeysAsync(), Is.EqualTo(
            $"digest-rollup:{_fixture.TenantId}:2026-W49:channel@Mon 09:00,digest-rollup:{_fixture.TenantId}:2026-W49:person:{_fixture.Leader}@Mon 09:00,digest:{_fixture.Platform}:2026-W49@Fri 21:00"));
    }

    [Test]
    public async Task A_team_with_its_digest_turned_off_gets_none()
    {
        await _database.ExecuteAsync($"UPDATE teams SET digest_enabled = false WHERE id = {_fixture.Platform}");

        Assert.That(await _scheduler.EnqueueDueAsync(DigestFixture.At, CancellationToken.None), Is.EqualTo(1), "only the roll-up");
    }
}
