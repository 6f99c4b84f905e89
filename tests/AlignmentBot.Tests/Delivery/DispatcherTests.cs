using System.Text.Json;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Delivery;

/// <summary>The dispatcher in the real host, draining the real outbox into a fake Bot Connector.</summary>
public class DispatcherTests
{
    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private OutboxSeed _seed = null!;
    private readonly List<BotFactory> _bots = [];
    private readonly List<HttpClient> _clients = [];

    private static readonly Dictionary<string, string?> FastSettings = new()
    {
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:RetryBaseDelay"] = "00:00:00.200",
        ["Delivery:MaxAttempts"] = "3",
        // The dispatcher's own retries are under test, not the connector's.
        ["Teams:Connector:MaxRetries"] = "0",
    };

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        _seed = await new OutboxSeed(_database, _connector.ServiceUrl).TenantAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _clients.ForEach(client => client.Dispose());
        foreach (var bot in _bots)
        {
            await bot.DisposeAsync();
        }

        // NUnit reuses the fixture instance for every test.
        _clients.Clear();
        _bots.Clear();

        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Starts a bot instance (its dispatcher runs as a hosted service).</summary>
    private void StartBot(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(FastSettings);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var bot = new BotFactory(_database, settings);
        _bots.Add(bot);
        _clients.Add(bot.CreateClient()); // starts the host
    }

    private Task<int> EnqueueAsync(params AlignmentBot.Scheduler.Delivery.NewDelivery[] deliveries) =>
        OutboxSeed.Outbox(_database).EnqueueAsync(deliveries, CancellationToken.None);

    private Task<string> StatusesAsync() =>
        Eventually.ValueAsync(() => _database.ScalarAsync<string>("SELECT string_agg(status, ',' ORDER BY id) FROM deliveries")!,
            s => s is not null && !s.Contains("pending", StringComparison.Ordinal) && !s.Contains("sending", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "every delivery to be settled")!;

    [Test]
    public async Task A_person_without_a_chat_gets_one_created_and_stored_and_the_card_sent_there()
    {
        var person = (await _seed.PeopleAsync(1, withChats: false))[0];
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "k1", TimeProvider.System.GetUtcNow(), personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("sent"));
        var created = _connector.Conversations.Single();
        Assert.That(created.Json!["members"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("29:user-1"));
        Assert.That(created.Json!["tenantId"]!.GetValue<string>(), Is.EqualTo("tenant-a"));
        var sent = _connector.ActivitiesIn(created.Id).Single();
        Assert.That((string?)sent.Json!["attachments"]![0]!["content"]!["body"]![0]!["text"], Is.EqualTo("Hello"));
        Assert.That(await _database.ScalarAsync<string>($"SELECT conversation_id FROM conversations WHERE person_id = {person}"), Is.EqualTo(created.Id));
        Assert.That(await _database.ScalarAsync<string>("SELECT platform_message_id FROM deliveries"), Is.EqualTo(sent.ActivityId), "kept to update the card later");
    }

    [Test]
    public async Task A_message_is_not_sent_before_its_due_time()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        StartBot();
        var due = TimeProvider.System.GetUtcNow().AddSeconds(2);

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "later", due, personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("sent"));
        Assert.That(_connector.Requests.Single().ReceivedAt, Is.GreaterThanOrEqualTo(due));
    }

    [Test]
    public async Task A_429_pauses_the_tenant_and_the_message_goes_out_after_Retry_After()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        _connector.RespondNext(1, FakeReply.TooManyRequests(TimeSpan.FromSeconds(2)));
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "throttled", TimeProvider.System.GetUtcNow(), personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("sent"));
        var requests = _connector.Requests;
        Assert.That(requests.Select(r => r.Status), Is.EqualTo(new[] { 429, 201 }).Or.EqualTo(new[] { 429, 200 }));
        Assert.That(requests[1].ReceivedAt - requests[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "waited for Retry-After");
        Assert.That(await _database.ScalarAsync<int>("SELECT attempts FROM deliveries"), Is.EqualTo(1), "a 429 is not a failed attempt");
    }

    [Test]
    public async Task A_503_is_retried_with_backoff_and_then_sent()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        _connector.RespondNext(2, FakeReply.WithStatus(503));
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "flaky", TimeProvider.System.GetUtcNow(), personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("sent"));
        Assert.That(_connector.RequestCount, Is.EqualTo(3));
        Assert.That(await _database.ScalarAsync<int>("SELECT attempts FROM deliveries"), Is.EqualTo(3));
    }

    [Test]
    public async Task Retries_stop_at_the_attempt_limit_and_the_message_is_failed()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        _connector.RespondNext(10, FakeReply.WithStatus(502));
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "doomed", TimeProvider.System.GetUtcNow(), personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("failed"));
        Assert.That(_connector.RequestCount, Is.EqualTo(3), "Delivery:MaxAttempts");
        Assert.That(await _database.ScalarAsync<string>("SELECT last_error FROM deliveries"), Does.Contain("502"));
    }

    [Test]
    public async Task A_403_marks_the_channel_unreachable_and_nothing_more_is_sent_there()
    {
        _connector.RespondNext(1, FakeReply.MessageWritesBlocked());
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "blocked", TimeProvider.System.GetUtcNow(), conversationId: _seed.ChannelId));
        Assert.That(await StatusesAsync(), Is.EqualTo("failed"));
        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "after", TimeProvider.System.GetUtcNow(), conversationId: _seed.ChannelId));

        Assert.That(await StatusesAsync(), Is.EqualTo("failed,cancelled"));
        Assert.That(_connector.RequestCount, Is.EqualTo(1), "no request to an unreachable conversation");
        Assert.That(await _database.ScalarAsync<bool>($"SELECT reachable FROM conversations WHERE id = {_seed.ChannelId}"), Is.False);
    }

    [Test]
    public async Task A_404_fails_for_good_without_a_retry()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        _connector.RespondNext(1, FakeReply.NotFound());
        StartBot();

        await EnqueueAsync(OutboxSeed.Notice(_seed.TenantId, "gone", TimeProvider.System.GetUtcNow(), personId: person));

        Assert.That(await StatusesAsync(), Is.EqualTo("failed"));
        Assert.That(_connector.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_row_whose_lease_expired_is_claimed_again_and_a_live_lease_is_left_alone()
    {
        var people = await _seed.PeopleAsync(2, withChats: true);
        await EnqueueAsync(
            OutboxSeed.Notice(_seed.TenantId, "orphaned", TimeProvider.System.GetUtcNow(), personId: people[0]),
            OutboxSeed.Notice(_seed.TenantId, "held", TimeProvider.System.GetUtcNow(), personId: people[1]));
        await _database.ExecuteAsync("""
            UPDATE deliveries SET status = 'sending', attempts = 1, claimed_by = 'crashed-instance',
                   lease_until = CASE idempotency_key WHEN 'orphaned' THEN now() - interval '1 second' ELSE now() + interval '1 hour' END
            """);
        StartBot();

        await Eventually.ValueAsync(() => _database.ScalarAsync<string>("SELECT status FROM deliveries WHERE idempotency_key = 'orphaned'"),
            status => status == "sent", TimeSpan.FromSeconds(30), "the orphaned row to be sent");

        Assert.That(await _database.ScalarAsync<string>("SELECT status || ' ' || claimed_by FROM deliveries WHERE idempotency_key = 'held'"),
            Is.EqualTo("sending crashed-instance"));
        Assert.That(_connector.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_dispatchers_on_one_database_never_send_the_same_row_twice()
    {
        // Four tenants: each is drained by one instance at a time, and the tenants are shared between them.
        var tenants = new List<(long TenantId, long[] People)> { (_seed.TenantId, await _seed.PeopleAsync(100, withChats: true, name: "a")) };
        foreach (var name in new[] { "b", "c", "d" })
        {
            var seed = await new OutboxSeed(_database, _connector.ServiceUrl).TenantAsync($"tenant-{name}");
            tenants.Add((seed.TenantId, await seed.PeopleAsync(100, withChats: true, name: name)));
        }

        StartBot(new() { ["Delivery:BatchSize"] = "20" });
        StartBot(new() { ["Delivery:BatchSize"] = "20" });
        await Eventually.ValueAsync(() => _database.ScalarAsync<long>("SELECT count(*) FROM delivery_instances"), n => n == 2,
            TimeSpan.FromSeconds(30), "both instances to say they are alive");

        await EnqueueAsync([.. tenants.SelectMany(t => t.People.Select(p => OutboxSeed.Notice(t.TenantId, $"fan-{p}", TimeProvider.System.GetUtcNow(), personId: p)))]);

        Assert.That(await StatusesAsync(), Does.Not.Contain("failed"));
        var perConversation = _connector.Activities.GroupBy(a => a.ConversationId).Select(g => g.Count()).ToList();
        Assert.That(perConversation, Has.Count.EqualTo(400));
        Assert.That(perConversation, Has.All.EqualTo(1), "never twice");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(DISTINCT claimed_by) FROM deliveries"), Is.EqualTo(2), "both instances sent");
        Assert.That(await _database.ScalarAsync<long>("SELECT max(n) FROM (SELECT count(DISTINCT claimed_by) AS n FROM deliveries GROUP BY tenant_id) t"), Is.EqualTo(1),
            "a tenant is drained by one instance, so instances never add up over its rate limit");
    }

    [Test]
    public async Task A_stopped_instance_hands_its_tenant_over_at_once()
    {
        var people = await _seed.PeopleAsync(60, withChats: true);
        StartBot(new() { ["Delivery:TenantRequestsPerSecond"] = "10" });
        await EnqueueAsync([.. people.Select(p => OutboxSeed.Notice(_seed.TenantId, $"slow-{p}", TimeProvider.System.GetUtcNow(), personId: p))]);
        await Eventually.ValueAsync(() => Task.FromResult(_connector.Activities.Count), n => n >= 5, TimeSpan.FromSeconds(30), "the first instance to send");

        StartBot(new() { ["Delivery:TenantRequestsPerSecond"] = "1000" });
        await _bots[0].DisposeAsync(); // a clean stop: queued rows and the tenant are given back

        Assert.That(await StatusesAsync(), Does.Not.Contain("failed"));
        Assert.That(_connector.Activities.GroupBy(a => a.ConversationId).Select(g => g.Count()), Has.All.EqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(DISTINCT claimed_by) FROM deliveries"), Is.EqualTo(2), "the second instance took over");
    }

    [Test]
    public async Task Once_the_outbox_is_empty_the_dispatcher_holds_no_workers_and_no_tenants()
    {
        var tenants = new List<(long TenantId, long[] People)> { (_seed.TenantId, await _seed.PeopleAsync(20, withChats: true, name: "a")) };
        foreach (var name in new[] { "b", "c" })
        {
            var seed = await new OutboxSeed(_database, _connector.ServiceUrl).TenantAsync($"tenant-{name}");
            tenants.Add((seed.TenantId, await seed.PeopleAsync(20, withChats: true, name: name)));
        }

        StartBot();
        await EnqueueAsync([.. tenants.SelectMany(t => t.People.Select(p => OutboxSeed.Notice(t.TenantId, $"idle-{p}", TimeProvider.System.GetUtcNow(), personId: p)))]);
        Assert.That(await StatusesAsync(), Does.Not.Contain("failed"));

        var health = await Eventually.ValueAsync(
            async () => JsonSerializer.Deserialize<JsonElement>(await _clients[0].GetStringAsync("/healthz")),
            h => h.GetProperty("workers").GetInt32() == 0 && h.GetProperty("tenantsInMemory").GetInt32() == 0,
            TimeSpan.FromSeconds(30), "the workers to stop");
        Assert.That(health.GetProperty("inFlight").GetInt32(), Is.Zero);
        Assert.That(health.GetProperty("inFlightPeak").GetInt32(), Is.InRange(1, health.GetProperty("inFlightLimit").GetInt32()));
        Assert.That(_connector.Activities, Has.Count.EqualTo(60));
    }

    [Test]
    public async Task Health_reports_the_queue_depth()
    {
        var person = (await _seed.PeopleAsync(1, withChats: true))[0];
        StartBot();
        var later = TimeProvider.System.GetUtcNow().AddHours(1);
        await EnqueueAsync(Enumerable.Range(1, 5).Select(i => OutboxSeed.Notice(_seed.TenantId, $"later-{i}", later, personId: person)).ToArray());

        using var health = JsonDocument.Parse(await _clients[0].GetStringAsync("/healthz"));

        Assert.That(health.RootElement.GetProperty("queueDepth").GetInt64(), Is.EqualTo(5));
        Assert.That(health.RootElement.GetProperty("delivery").GetString(), Is.EqualTo("ok"));
    }
}
