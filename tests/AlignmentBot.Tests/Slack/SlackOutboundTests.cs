using AlignmentBot.Tests.Delivery;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// The outbox draining into the fake Slack Web API: DMs by user id, the DM channel and ts kept, Slack's limits
/// answered by pausing the workspace for Retry-After, ok:false errors mapped.
/// </summary>
public class SlackOutboundTests
{
    private TestDatabase _database = null!;
    private FakeSlackWebApi _slack = null!;
    private BotFactory _bot = null!;
    private HttpClient _client = null!;
    private long _tenantId;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _slack = await FakeSlackWebApi.StartAsync();
        _tenantId = await _database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id) VALUES ('slack', '{_slack.TeamId}') RETURNING id");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client?.Dispose();
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _slack.DisposeAsync();
        await _database.DisposeAsync();
    }

    private void StartBot(string workspacePerSecond = "20")
    {
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SlackHarness.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.BaseAddress.ToString(),
            ["Slack:WorkspaceMessagesPerSecond"] = workspacePerSecond,
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Delivery:RetryBaseDelay"] = "00:00:00.200",
            ["Delivery:MaxAttempts"] = "3",
        });
        _client = _bot.CreateClient();
    }

    private async Task<long[]> PeopleAsync(params string[] userIds)
    {
        foreach (var user in userIds)
        {
            await _database.ExecuteAsync($"INSERT INTO people (tenant_id, platform_user_id, display_name) VALUES ({_tenantId}, '{user}', '{user}')");
        }

        return (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY id) FROM people WHERE tenant_id = {_tenantId}"))!;
    }

    private async Task EnqueueAsync(long[] people)
    {
        var now = TimeProvider.System.GetUtcNow();
        await OutboxSeed.Outbox(_database).EnqueueAsync([.. people.Select((p, i) => OutboxSeed.Notice(_tenantId, $"k{i}", now, personId: p))], CancellationToken.None);
    }

    private Task<string> StatusesAsync() =>
        Eventually.ValueAsync(() => _database.ScalarAsync<string>("SELECT string_agg(status, ',' ORDER BY id) FROM deliveries")!,
            s => s is not null && !s.Contains("pending", StringComparison.Ordinal) && !s.Contains("sending", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "every delivery to be settled")!;

    [Test]
    public async Task A_dm_goes_to_the_user_id_and_its_channel_and_ts_are_kept_for_updates()
    {
        var people = await PeopleAsync("U0ALICE");
        StartBot();

        await EnqueueAsync(people);

        Assert.That(await StatusesAsync(), Is.EqualTo("sent"));
        var message = _slack.Messages.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(message.PostedTo, Is.EqualTo("U0ALICE"), "no conversations.open round trip");
            Assert.That(_slack.Calls.Select(c => c.Method), Has.None.EqualTo("conversations.open"));
            Assert.That(await _database.ScalarAsync<string>("SELECT platform_message_id FROM deliveries"), Is.EqualTo(message.Ts));
            Assert.That(await _database.ScalarAsync<string>($"SELECT conversation_id FROM conversations WHERE person_id = {people[0]} AND kind = 'personal'"),
                Is.EqualTo("D0ALICE"));
            Assert.That(message.Text, Is.EqualTo("Hello"), "the text fallback");
        });
    }

    [Test]
    public async Task Slacks_errors_are_mapped_to_failed_or_unreachable()
    {
        var people = await PeopleAsync("U0GONE", "U0BLOCKS");
        _slack.Refuse["U0GONE"] = "user_not_found";
        _slack.Refuse["U0BLOCKS"] = "invalid_blocks";
        StartBot();

        await EnqueueAsync(people);

        Assert.That(await StatusesAsync(), Is.EqualTo("failed,failed"));
        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(last_error, ',' ORDER BY id) FROM deliveries"),
            Is.EqualTo("slack user_not_found,slack invalid_blocks"));
    }

    [Test]
    public async Task A_429_pauses_the_workspace_for_its_retry_after_and_nothing_is_lost_or_sent_twice()
    {
        var people = await PeopleAsync([.. Enumerable.Range(1, 6).Select(i => $"U0P{i}")]);
        _slack.Limits.WorkspacePerSecond = 2; // the bot believes it may send 50/s: Slack's 429 has to slow it down
        StartBot(workspacePerSecond: "50");

        await EnqueueAsync(people);

        Assert.That(await StatusesAsync(), Is.EqualTo("sent,sent,sent,sent,sent,sent"));
        Assert.Multiple(() =>
        {
            Assert.That(_slack.Limits.Throttled, Is.GreaterThan(0), "the fake did throttle");
            Assert.That(_slack.Messages.Select(m => m.PostedTo), Is.Unique, "no duplicates");
            Assert.That(_slack.Messages, Has.Count.EqualTo(6));
        });
    }
}
