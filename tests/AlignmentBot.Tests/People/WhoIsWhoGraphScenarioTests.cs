using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Auth;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.People;

/// <summary>
/// A fresh tenant end to end with Microsoft Graph on, on a fake clock: the real bot (signed Bot Framework tokens, its
/// Entra app's tokens from a fake Entra ID, the real Graph SDK against the fake Graph) is installed in two teams, and the
/// sync that runs on the clustered scheduler right after each install names the managers, the mailbox zones (Windows
/// names) and a disabled account. Only the leader comes from the HR file (Graph has no word for it). Then each pulse
/// arrives at 10:00 in its person's zone, the manager reads results and gets step 3, the leader gets the roll-up, and the
/// disabled member gets nothing.
/// </summary>
public class WhoIsWhoGraphScenarioTests
{
    private const string Key = "who-is-who-graph-admin-key-0123456789abcdef";
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private const string AppPassword = "who-is-who-graph-client-secret";
    private const string Tenant = "5d1f3a4e-0b7c-4e2a-9c61-2f8d7b3e9a10";
    private const string PlatformTeam = "19:platform@thread.tacv2";
    private const string SalesTeam = "19:sales@thread.tacv2";

    // Sunday 31 January 2027, 20:00 UTC: Monday 05:00 in Tokyo, Sunday 21:00 in Berlin.
    private static readonly DateTimeOffset Start = new(2027, 1, 31, 20, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotFrameworkIdentity _identity = null!;
    private FakeEntraId _entra = null!;
    private FakeGraph _graph = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(Start);
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _entra = await FakeEntraId.StartAsync(AppId, AppPassword);
        _graph = await FakeGraph.StartAsync();
        _graph.Users.AddRange(
        [
            new FakeGraphUser("aad-lea", "lea", Department: "Board", MailboxTimeZone: "GMT Standard Time"),
            new FakeGraphUser("aad-mia", "mia", ManagerId: "aad-lea", MailboxTimeZone: "W. Europe Standard Time"),
            new FakeGraphUser("aad-sam", "sam", ManagerId: "aad-lea", MailboxTimeZone: "W. Europe Standard Time"),
            new FakeGraphUser("aad-ana", "ana", ManagerId: "aad-mia", MailboxTimeZone: "Tokyo Standard Time"),
            new FakeGraphUser("aad-ben", "ben", ManagerId: "aad-mia"),
            new FakeGraphUser("aad-gus", "gus", AccountEnabled: false, ManagerId: "aad-mia", MailboxTimeZone: "Tokyo Standard Time"),
            new FakeGraphUser("aad-ivy", "ivy", ManagerId: "aad-mia"),
            new FakeGraphUser("aad-jon", "jon", ManagerId: "aad-mia"),
        ]);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            ["Privacy:ResponseKeySecret"] = "who-is-who-graph-response-key-secret-0123",
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = AppPassword,
            ["Teams:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Teams:AllowedTenants:0"] = Tenant,
            ["Teams:OpenIdMetadataUrl"] = _identity.MetadataUrl,
            ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = _graph.BaseUrl,
            // The app's clock is fake and nobody moves it while the sync runs after an install.
            ["Graph:BatchPause"] = "00:00:00",
        }, _clock, services =>
            // MSAL keeps the real authority; its HttpClient (the connector's tokens and Graph's) reaches the fake Entra ID.
            services.AddHttpClient(MsalBotTokenProvider.HttpClientName).AddHttpMessageHandler(() => new LoopbackRedirectHandler(_entra.BaseAddress)));
        _http = _bot.CreateClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _graph.DisposeAsync();
        await _entra.DisposeAsync();
        await _identity.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static FakeMember Member(string name) => new($"29:{name}", $"aad-{name}", name, Email: $"{name}@example.com");

    /// <summary>An activity as Teams sends it, with a channel token signed by the fake Bot Framework identity.</summary>
    private async Task PostAsync(object activity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(activity) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _identity.IssueToken(AppId, _connector.ServiceUrl, _clock.GetUtcNow()));
        using var response = await _http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }

    private Task InstallAsync(string teamId, string name) => PostAsync(new
    {
        type = "conversationUpdate",
        id = Guid.NewGuid().ToString(),
        channelId = "msteams",
        serviceUrl = _connector.ServiceUrl,
        from = new { id = "29:mia", name = "mia", aadObjectId = "aad-mia" },
        conversation = new { id = teamId, conversationType = "channel", tenantId = Tenant },
        recipient = new { id = $"28:{AppId}", name = "AlignmentBot" },
        membersAdded = new[] { new { id = $"28:{AppId}" } },
        channelData = new { tenant = new { id = Tenant }, team = new { id = teamId, name } },
    });

    private async Task<string> SayAsync(string who, string text, string? zone = null)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        await PostAsync(new
        {
            type = "message",
            id = Guid.NewGuid().ToString(),
            text,
            localTimezone = zone,
            channelId = "msteams",
            serviceUrl = _connector.ServiceUrl,
            from = new { id = $"29:{who}", name = who, aadObjectId = $"aad-{who}" },
            conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = Tenant },
            recipient = new { id = $"28:{AppId}", name = "AlignmentBot" },
            channelData = new { tenant = new { id = Tenant } },
        });
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), $"a reply to {who}");
        return replies[^1].Json!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Waits until Graph has spoken for everyone in the bot's teams (the sync runs on the scheduler, not in the test).</summary>
    private Task<long> GraphSyncedAsync(int people) => Eventually.ValueAsync(
        () => _database.ScalarAsync<long>("SELECT count(DISTINCT person_id) FROM person_facts WHERE source = 'graph' AND field = 'active'"),
        n => n >= people, TimeSpan.FromSeconds(60), $"Graph facts for {people} people");

    /// <summary>Moves the fake clock to <paramref name="until"/>, sending what falls due on the way.</summary>
    private Task RunUntilAsync(DateTimeOffset until) => FakeClockDispatch.RunUntilAsync(_database, _clock, until);

    [Test]
    public async Task Managers_zones_and_a_disabled_account_from_graph_reach_the_right_people_at_the_right_time()
    {
        _connector.SetRoster(PlatformTeam, [Member("ana"), Member("ben"), Member("mia"), Member("gus"), Member("ivy"), Member("jon")]);
        _connector.SetRoster(SalesTeam, [Member("sam"), Member("lea"), Member("mia")]);
        await InstallAsync(PlatformTeam, "Platform");
        await InstallAsync(SalesTeam, "Sales");
        await GraphSyncedAsync(8);
        var afterSync = await _database.ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM deliveries");

        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(p.display_name || ':' || coalesce(m.display_name, '-') || ':' || coalesce(p.time_zone, '-') || ':' || p.active, ' ' ORDER BY p.display_name)
            FROM people p LEFT JOIN people m ON m.id = p.manager_id
            """), Is.EqualTo("ana:mia:Asia/Tokyo:true ben:mia:-:true gus:mia:Asia/Tokyo:false ivy:mia:-:true jon:mia:-:true " +
                             "lea:-:Europe/London:true mia:lea:Europe/Berlin:true sam:lea:Europe/Berlin:true"),
            "managers, Windows zones made IANA and accountEnabled, all from Graph; no one added twice");

        // Ben's zone only from his Teams client; the leader from the HR file (Graph has no word for it).
        Assert.That(await SayAsync("ben", "help", zone: "Europe/Berlin"), Does.Contain("AlignmentBot"));
        using (var import = await _http.PostAsync(new Uri($"/admin/tenants/teams/{Tenant}/people", UriKind.Relative),
                   new StringContent("person,leader\nlea@example.com,yes\n", Encoding.UTF8, "text/csv")))
        {
            Assert.That(import.StatusCode, Is.EqualTo(HttpStatusCode.OK), await import.Content.ReadAsStringAsync());
        }

        // The pulse: 10:00 in each one's zone; the disabled member gets none.
        var survey = await _database.ScalarAsync<long>($"SELECT s.id FROM surveys s JOIN teams t ON t.id = s.default_for_team_id WHERE t.external_id = '{PlatformTeam}'");
        long run;
        using (var opened = await _http.PostAsync(new Uri($"/admin/surveys/{survey}/runs", UriKind.Relative), null))
        {
            Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.Created), await opened.Content.ReadAsStringAsync());
            run = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetInt64();
        }

        await RunUntilAsync(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.That(await _database.ScalarAsync<string>($"""
            SELECT string_agg(p.display_name || ' ' || to_char(d.sent_at AT TIME ZONE coalesce(p.time_zone, 'UTC'), 'Dy HH24:MI') || ' ' || coalesce(p.time_zone, '-'), ', ' ORDER BY p.display_name)
            FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.kind = 'pulse' AND d.status = 'sent' AND (d.payload->>'runId')::bigint = {run}
            """), Is.EqualTo("ana Mon 10:00 Asia/Tokyo, ben Mon 10:00 Europe/Berlin, ivy Mon 10:00 -, jon Mon 10:00 -, mia Mon 10:00 Europe/Berlin"));

        // Mia manages Platform because its members report to her (Graph); she reads results, a member does not.
        using (var close = await _http.PostAsync(new Uri($"/admin/runs/{run}/close", UriKind.Relative), null))
        {
            Assert.That(close.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await SayAsync("mia", "results"), Does.Contain("Platform").And.Not.Contain("for team managers and leaders"));
        Assert.That(await SayAsync("ben", "results"), Does.Contain("for team managers and leaders"));

        // Step 3 of the nudge ladder reaches her. (The key result is data, not who-is-who: written directly.)
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
            Is.EqualTo("mia"));

        // The leader's roll-up.
        await _bot.Services.GetRequiredService<DigestScheduler>().EnqueueDueAsync(new DateTimeOffset(2027, 2, 8, 9, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(DISTINCT p.display_name, ',') FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = '{DigestScheduler.RollupKind}'"),
            Is.EqualTo("lea"));

        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM deliveries d JOIN people p ON p.id = d.person_id WHERE p.display_name = 'gus' AND d.id > {afterSync}"),
            Is.Zero, "the member Graph says is disabled gets nothing once synced");
    }
}
