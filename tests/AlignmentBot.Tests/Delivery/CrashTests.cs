using System.Text.Json;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Delivery;

/// <summary>The README's guarantee, shown with the real bot process killed mid-fan-out at Teams' latency.</summary>
public class CrashTests
{
    private const int People = 2000;

    /// <summary>Below what 1000 requests/s at 250 ms need, so the instance runs at this limit from its start.</summary>
    private const int MaxInFlight = 200;

    [Test]
    public async Task A_dispatcher_killed_half_way_loses_nothing_and_doubles_at_most_its_in_flight_sends()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connector = await FakeBotConnector.StartAsync();
        // Teams' latency keeps many sends in flight at the moment of the kill; the limits are raised so the test is quick.
        new FakeTeamsLimits { TenantRequestsPerSecond = 1_000_000, Latency = FakeLatency.LikeTeams(250) }.AttachTo(connector);
        var seed = await new OutboxSeed(database, connector.ServiceUrl).TenantAsync();
        var people = await seed.PeopleAsync(People, withChats: false);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Delivery__TenantRequestsPerSecond"] = "1000",
            ["Delivery__MaxInFlight"] = MaxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery__Lease"] = "00:00:10",
            ["Delivery__PollInterval"] = "00:00:00.050",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        (int Now, int Limit, int Peak) reported;
        var first = BotProcess.Start(environment);
        await using (first)
        {
            await Eventually.ValueAsync(() => StatusAsync(first), ok => ok, TimeSpan.FromSeconds(60), "the bot to start");
            await OutboxSeed.Outbox(database).EnqueueAsync(
                people.Select(p => OutboxSeed.Notice(seed.TenantId, $"crash-{p}", TimeProvider.System.GetUtcNow(), personId: p)).ToArray(), CancellationToken.None);
            await Eventually.ValueAsync(() => Task.FromResult(connector.ReceivedPerUser().Count), n => n >= 600, TimeSpan.FromSeconds(60), "600 people to be reached");
            reported = await InFlightAsync(first);
            await first.KillAsync();
        }

        var reachedBeforeKill = connector.ReceivedPerUser().Count;
        var unsettled = await database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')");
        Assert.That(reachedBeforeKill, Is.LessThan(People), "killed half-way, not after the end");
        Assert.That(unsettled, Is.GreaterThan(0));

        await using var second = BotProcess.Start(environment);
        var statuses = await Eventually.ValueAsync(
            () => database.ScalarAsync<string>("SELECT string_agg(DISTINCT status, ',') FROM deliveries")!,
            s => s == "sent", TimeSpan.FromSeconds(120), "every delivery to be sent after the restart");

        var received = connector.ReceivedPerUser();
        var duplicates = received.Values.Sum(n => n - 1);
        await TestContext.Out.WriteLineAsync($"reached before the kill: {reachedBeforeKill}, in flight just before it: {reported.Now} (limit {reported.Limit}, peak {reported.Peak}), duplicates after the restart: {duplicates}");
        Assert.That(statuses, Is.EqualTo("sent"));
        Assert.That(received, Has.Count.EqualTo(People), "every recipient has the message");
        Assert.That(reported.Limit, Is.EqualTo(MaxInFlight), "the instance reports the bound it keeps");
        Assert.That(duplicates, Is.LessThanOrEqualTo(reported.Limit), "at most the sends in flight at the kill are doubled");
        Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT claimed_by) FROM deliveries"), Is.EqualTo(2), "both processes sent");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE kind = 'personal'"), Is.EqualTo(People), "one stored chat per person");
    }

    /// <summary>The crash bound the instance reports in /healthz: sends in flight now, their limit, the most so far.</summary>
    private static async Task<(int Now, int Limit, int Peak)> InFlightAsync(BotProcess bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var root = health.RootElement;
        return (root.GetProperty("inFlight").GetInt32(), root.GetProperty("inFlightLimit").GetInt32(), root.GetProperty("inFlightPeak").GetInt32());
    }

    private static async Task<bool> StatusAsync(BotProcess bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        try
        {
            return (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
