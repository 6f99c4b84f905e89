using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Delivery;

public class OutboxTests
{
    [Test]
    public async Task Enqueueing_the_same_idempotency_keys_again_adds_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var seed = await new OutboxSeed(database, "https://smba.trafficmanager.net/emea/").TenantAsync();
        var people = await seed.PeopleAsync(3, withChats: false);
        var outbox = OutboxSeed.Outbox(database);
        var now = TimeProvider.System.GetUtcNow();
        var batch = people.Select(p => OutboxSeed.Notice(seed.TenantId, $"pulse:run-1:person-{p}", now, personId: p)).ToList();

        var first = await outbox.EnqueueAsync(batch, CancellationToken.None);
        var second = await outbox.EnqueueAsync(batch, CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((3, 0)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM deliveries"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_delivery_needs_exactly_one_target()
    {
        await using var database = await TestDatabase.CreateAsync();
        var outbox = OutboxSeed.Outbox(database);

        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(
            [OutboxSeed.Notice(1, "nobody", TimeProvider.System.GetUtcNow())], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(
            [OutboxSeed.Notice(1, "both", TimeProvider.System.GetUtcNow(), personId: 1, conversationId: 1)], CancellationToken.None));
    }
}
