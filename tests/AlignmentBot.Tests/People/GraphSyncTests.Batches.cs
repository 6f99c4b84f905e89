using AlignmentBot.Bot.People.Graph;
using AlignmentBot.Tests.Teams.Connector;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.People;

/// <summary>
/// The per-user reads go as Graph JSON batches through the real SDK: at most 20 a batch, one batch at a time with a pause
/// on the bot's clock, a throttled batch sent again after its Retry-After, and single throttled requests inside a batch
/// sent again alone after theirs.
/// </summary>
public partial class GraphSyncTests
{
    /// <summary>The fake Graph, with the same directory, timing arrivals on the test's fake clock (to see the bot's own waits).</summary>
    private async Task GraphOnTheFakeClockAsync()
    {
        var users = _graph.Users.ToList();
        await _graph.DisposeAsync();
        _graph = await FakeGraph.StartAsync(_clock);
        _graph.Users.AddRange(users);
    }

    /// <summary>Runs the sync while moving the fake clock half a second at a time, so the bot's waits on it can end.</summary>
    private async Task<int> SyncMovingTheClockAsync(ConnectorHost host)
    {
        var sync = host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (var step = 0; step < 3_000 && !sync.IsCompleted; step++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(500));
            await poll.WaitForNextTickAsync();
        }

        Assert.That(sync.IsCompleted, Is.True, "the sync did not finish within 3,000 steps of the clock");
        return await sync;
    }

    [Test]
    public async Task Throttled_requests_inside_a_batch_are_sent_again_alone_after_their_Retry_After()
    {
        await GraphOnTheFakeClockAsync();
        _graph.ThrottleBatchItems = 2;
        _graph.BatchItemRetryAfterSeconds = 30;
        using var host = await HostAsync();

        var synced = await SyncMovingTheClockAsync(host);

        var batches = _graph.Batches;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(synced, Is.EqualTo(3));
            Assert.That(batches, Has.Count.EqualTo(2), "one batch, then one retry");
            Assert.That(batches[0].Requests.Select(r => r.Url), Is.EquivalentTo(new[]
            {
                "/users/aad-ana/mailboxSettings?$select=timeZone", "/users/aad-ben/mailboxSettings?$select=timeZone", "/users/aad-cai/mailboxSettings?$select=timeZone",
            }), "one request per known person, urls relative to the version");
            Assert.That(batches[0].Requests.Count(r => r.Status == 429), Is.EqualTo(2));
            Assert.That(batches[1].Requests.Select(r => r.Url), Is.EquivalentTo(batches[0].Requests.Where(r => r.Status == 429).Select(r => r.Url)),
                "only the throttled requests go again");
            Assert.That(batches[1].Requests.Select(r => r.Status), Is.All.EqualTo(200));
            Assert.That(batches[1].At - batches[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(30)), "waited the Retry-After the items named, on the bot's clock");
            Assert.That(await PersonAsync("ana"), Does.StartWith("Asia/Tokyo|"));
            Assert.That(await PersonAsync("ben"), Does.StartWith("Europe/Berlin|"));
            Assert.That(await PersonAsync("cai"), Does.StartWith("America/Los_Angeles|"), "everyone's zone arrived in the end");
        }
    }

    [Test]
    public async Task More_than_twenty_people_are_read_in_batches_of_twenty_one_batch_at_a_time_with_a_pause()
    {
        await GraphOnTheFakeClockAsync();
        for (var i = 0; i < 45; i++)
        {
            _graph.Users.Add(new FakeGraphUser($"aad-p{i:00}", $"p{i:00}", ManagerId: "aad-ana", MailboxTimeZone: "Tokyo Standard Time"));
        }

        await _database.ExecuteAsync("""
            INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name)
            SELECT t.id, '29:' || n, 'aad-' || n, n FROM tenants t, generate_series(0, 44) AS i, LATERAL (SELECT 'p' || lpad(i::text, 2, '0') AS n) x
            """);
        using var host = await HostAsync(batchPause: "00:00:10");

        var synced = await SyncMovingTheClockAsync(host);

        var batches = _graph.Batches;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(synced, Is.EqualTo(48));
            Assert.That(batches.Select(b => b.Requests.Count), Is.EqualTo(new[] { 20, 20, 8 }), "48 people: two full batches of 20 and the rest");
            Assert.That(batches.SelectMany(b => b.Requests.Select(r => r.Url)).Distinct().Count(), Is.EqualTo(48), "each person asked once");
            Assert.That(batches.Zip(batches.Skip(1), (a, b) => b.At - a.At), Is.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)), "Graph:BatchPause between batches");
            Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM people WHERE display_name LIKE 'p__' AND time_zone = 'Asia/Tokyo'"), Is.EqualTo(45));
        }
    }

    [Test]
    public async Task A_throttled_batch_is_sent_again_after_its_Retry_After()
    {
        _graph.ThrottleBatches = 1;
        using var host = await HostAsync();

        var synced = await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None);

        var posts = _graph.Requests.Where(r => r.Request == "POST /v1.0/$batch").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(synced, Is.EqualTo(3));
            Assert.That(posts, Has.Count.EqualTo(2), "the throttled batch, then the same batch again");
            Assert.That(posts[1].At - posts[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)), "waited for Retry-After: 1 (the SDK's retry handler, in real time)");
            Assert.That(_graph.Batches, Has.Count.EqualTo(1));
            Assert.That(await PersonAsync("cai"), Does.StartWith("America/Los_Angeles|"));
        }
    }
}
