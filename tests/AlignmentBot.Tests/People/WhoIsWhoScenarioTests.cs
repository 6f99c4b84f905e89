using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.People;

/// <summary>
/// A fresh tenant end to end on a fake clock, with no role or zone set by SQL: the bot is installed in two teams (rosters from
/// the fake connector), the HR file names managers, a Tokyo zone, a second manager and a leader, Teams' localTimezone
/// gives a Berlin member's zone. Then the pulse arrives at 10:00 in each zone, the manager gets step 3 of the nudge
/// ladder and can read results, the leader gets the roll-up, a member the file retires and a member who said
/// "pulses off" get nothing from the next run.
/// </summary>
public class WhoIsWhoScenarioTests
{
    private const string Key = "who-is-who-admin-key-0123456789abcdef";
    private const string Tenant = PulseSeed.TenantExternalId;
    private const string PlatformTeam = "19:platform@thread.tacv2";
    private const string SalesTeam = "19:sales@thread.tacv2";

    // Sunday 31 January 2027, 20:00 UTC: Monday 05:00 in Tokyo, Sunday 21:00 in Berlin.
    private static readonly DateTimeOffset Start = new(2027, 1, 31, 20, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(Start);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            ["Privacy:ResponseKeySecret"] = "who-is-who-response-key-secret-0123456789",
        }, _clock);
        _http = _bot.CreateClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static FakeMember Member(string name) => new($"29:{name}", $"aad-{name}", name, Email: $"{name}@example.com");

    private object Activity(string who, string text, string? zone = null) => new
    {
        type = "message",
        id = Guid.NewGuid().ToString(),
        text,
        localTimezone = zone,
        channelId = "msteams",
        serviceUrl = _connector.ServiceUrl,
        from = new { id = $"29:{who}", name = who, aadObjectId = $"aad-{who}" },
        conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = Tenant },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = Tenant } },
    };

    private async Task InstallAsync(string teamId, string name)
    {
        using var response = await _http.PostAsJsonAsync("/api/messages", new
        {
            type = "conversationUpdate",
            id = Guid.NewGuid().ToString(),
            channelId = "msteams",
            serviceUrl = _connector.ServiceUrl,
            from = new { id = "29:mia", name = "mia" },
            conversation = new { id = teamId, conversationType = "channel", tenantId = Tenant },
            recipient = new { id = "28:bot", name = "AlignmentBot" },
            membersAdded = new[] { new { id = "28:bot" } },
            channelData = new { tenant = new { id = Tenant }, team = new { id = teamId, name } },
        });
        response.EnsureSuccessStatusCode();
    }

    private async Task<string> SayAsync(string who, string text, string? zone = null)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", Activity(who, text, zone));
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), $"a reply to {who}");
        return replies[^1].Json!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private async Task ImportAsync(string csv)
    {
        using var response = await _http.PostAsync(new Uri($"/admin/tenants/teams/{Tenant}/people", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Moves the fake clock to <paramref name="until"/>, sending what falls due on the way.</summary>
    private Task RunUntilAsync(DateTimeOffset until) => FakeClockDispatch.RunUntilAsync(_database, _clock, until);

    private async Task<long> OpenRunAsync()
    {
        var survey = await _database.ScalarAsync<long>($"SELECT s.id FROM surveys s JOIN teams t ON t.id = s.default_for_team_id WHERE t.external_id = '{PlatformTeam}'");
        using var run = await _http.PostAsync(new Uri($"/admin/surveys/{survey}/runs", UriKind.Relative), null);
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Created), await run.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetInt64();
    }

    /// <summary>Who got run <paramref name="run"/>'s card, and when in the zone the bot keeps for them.</summary>
    private Task<string?> PulsesAsync(long run) => _database.ScalarAsync<string>($"""
        SELECT string_agg(p.display_name || ' ' || to_char(d.sent_at AT TIME ZONE coalesce(p.time_zone, x.time_zone), 'Dy HH24:MI') || ' ' || coalesce(p.time_zone, '-'), ', ' ORDER BY p.display_name)
        FROM deliveries d JOIN people p ON p.id = d.person_id JOIN tenants x ON x.id = p.tenant_id
        WHERE d.kind = 'pulse' AND d.status = 'sent' AND (d.payload->>'runId')::bigint = {run}
        """);

    [Test]
    public async Task Roles_and_zones_from_the_organisations_sources_reach_the_right_people_at_the_right_time()
    {
        _connector.SetRoster(PlatformTeam, [Member("ana"), Member("ben"), Member("mia"), Member("gus"), Member("ivy"), Member("jon")]);
        _connector.SetRoster(SalesTeam, [Member("sam"), Member("lea"), Member("mia")]);
        await InstallAsync(PlatformTeam, "Platform");
        await InstallAsync(SalesTeam, "Sales");
        Assert.That(await SayAsync("mia", "results"), Does.Contain("for team managers and leaders"), "out of the box nobody is a manager: Teams does not say");

        // The HR file: managers, Tokyo, a second manager of Platform (sam, by role) and a leader.
        await ImportAsync("""
            person,manager,time_zone,teams,leader
            ana@example.com,mia@example.com,Asia/Tokyo,,
            ben@example.com,mia@example.com,,,
            gus@example.com,mia@example.com,,,
            mia@example.com,lea@example.com,Europe/Berlin,Platform:manager,
            sam@example.com,lea@example.com,Europe/Berlin,Platform:manager;Sales:manager,
            lea@example.com,,Europe/Berlin,,yes
            """);
        // Ben's zone only from his Teams client.
        Assert.That(await SayAsync("ben", "help", zone: "Europe/Berlin"), Does.Contain("AlignmentBot"));

        var first = await OpenRunAsync();
        await RunUntilAsync(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.That(await PulsesAsync(first), Is.EqualTo(
            "ana Mon 10:00 Asia/Tokyo, ben Mon 10:00 Europe/Berlin, gus Mon 10:00 -, ivy Mon 10:00 -, jon Mon 10:00 -, mia Mon 10:00 Europe/Berlin, sam Mon 10:00 Europe/Berlin"),
            "each at 10:00 in their own zone (no zone: the tenant's, UTC); sam is in Platform by the file");

        // The manager reads results once the run closed; a member does not.
        using (var close = await _http.PostAsync(new Uri($"/admin/runs/{first}/close", UriKind.Relative), null))
        {
            Assert.That(close.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await SayAsync("mia", "results"), Does.Contain("Platform").And.Not.Contain("for team managers and leaders"));
        Assert.That(await SayAsync("sam", "results"), Does.Contain("Platform"), "the second manager, from the file");
        Assert.That(await SayAsync("ben", "results"), Does.Contain("for team managers and leaders"));

        // Step 3 of the nudge ladder reaches the team's manager.
        // (The key result is data, not who-is-who: written directly, weekly check-ins, last set up on 20 January.)
        await _database.ExecuteAsync($"""
            WITH o AS (INSERT INTO objectives (tenant_id, team_id, title, cycle)
                       SELECT tenant_id, id, 'Ship the platform', '2027-Q1' FROM teams WHERE external_id = '{PlatformTeam}' RETURNING id, tenant_id)
            INSERT INTO key_results (tenant_id, objective_id, title, owner_id, start_value, target_value, current_value, unit, checkin_cadence_days, created_at)
            SELECT o.tenant_id, o.id, 'Latency under 100 ms', p.id, 0, 100, 0, '', 7, '2027-01-20T00:00:00Z' FROM o, people p WHERE p.platform_user_id = '29:ben'
            """);
        var planner = _bot.Services.GetRequiredService<NudgePlanner>();
        for (var day = 1; day <= 12; day++)
        {
            await planner.PlanAsync(new DateTimeOffset(2027, 2, day, 12, 0, 0, TimeSpan.Zero), CancellationToken.None);
        }

        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(p.display_name, ',') FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = '{NudgePlanner.ManagerKind}'"),
            Is.EqualTo("mia"), "the named manager of the team, not the second one and not ben's own manager twice");

        // The leader's roll-up.
        await _bot.Services.GetRequiredService<DigestScheduler>().EnqueueDueAsync(new DateTimeOffset(2027, 2, 8, 9, 0, 0, TimeSpan.Zero), CancellationToken.None);
        // (Distinct: the real-time digest job may also enqueue the current fake week's roll-up when a quarter hour passes.)
        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(DISTINCT p.display_name, ',') FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = '{DigestScheduler.RollupKind}'"),
            Is.EqualTo("lea"), "the leader, and only the leader");

        // The file retires gus; ana says "pulses off": the next run reaches neither.
        await ImportAsync("person,active\ngus@example.com,no\n");
        Assert.That(await SayAsync("ana", "pulses off"), Does.Contain("no more pulse surveys"));
        _clock.Advance(new DateTimeOffset(2027, 2, 14, 20, 0, 0, TimeSpan.Zero) - _clock.GetUtcNow());
        var second = await OpenRunAsync();
        await RunUntilAsync(new DateTimeOffset(2027, 2, 15, 12, 0, 0, TimeSpan.Zero));
        Assert.That(await PulsesAsync(second), Is.EqualTo("ben Mon 10:00 Europe/Berlin, ivy Mon 10:00 -, jon Mon 10:00 -, mia Mon 10:00 Europe/Berlin, sam Mon 10:00 Europe/Berlin"));
    }
}
