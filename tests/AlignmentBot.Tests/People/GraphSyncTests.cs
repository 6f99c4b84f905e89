using AlignmentBot.Bot.People.Graph;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Connector;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AlignmentBot.Tests.People;

/// <summary>
/// The real Graph SDK against a fake Graph on loopback (documented JSON shapes, paging by @odata.nextLink, a 429 with
/// Retry-After, a 403) and the real MSAL against a fake Entra ID: facts land as source 'graph' below the file.
/// </summary>
public partial class GraphSyncTests
{
    private const string Tenant = ConnectorHost.TenantId;

    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private FakeGraph _graph = null!;
    private FakeEntraId _entra = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 2, 0, 0, TimeSpan.Zero));
        _database = await TestDatabase.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _graph = await FakeGraph.StartAsync();
        _graph.Users.AddRange(
        [
            new FakeGraphUser("aad-boss", "Bea Boss", Department: "Board", JobTitle: "CEO", MailboxTimeZone: "GMT Standard Time"),
            new FakeGraphUser("aad-stranger", "Someone Else", ManagerId: "aad-boss"),
            new FakeGraphUser("aad-ana", "Ana", Department: "Sales", JobTitle: "Lead", ManagerId: "aad-boss", MailboxTimeZone: "Tokyo Standard Time"),
            new FakeGraphUser("aad-ben", "Ben", AccountEnabled: false, ManagerId: "aad-ana", MailboxTimeZone: "W. Europe Standard Time"),
            new FakeGraphUser("aad-cai", "Cai", ManagerId: "aad-ana", MailboxTimeZone: "Pacific Standard Time"),
        ]);
        await _database.ExecuteAsync($"""
            INSERT INTO tenants (platform, external_id) VALUES ('teams', '{Tenant}');
            INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name)
            SELECT t.id, '29:' || n, 'aad-' || n, n FROM tenants t, unnest(ARRAY['ana', 'ben', 'cai']) AS n;
            """);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _graph.DisposeAsync();
        if (_entra is not null)
        {
            await _entra.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<ConnectorHost> HostAsync(string entraSecret = ConnectorHost.AppPassword, string batchPause = "00:00:00")
    {
        _entra = await FakeEntraId.StartAsync(ConnectorHost.AppId, entraSecret);
        return ConnectorHost.Authenticated(services =>
        {
            services.AddHttpClient(MsalBotTokenProvider.HttpClientName).AddHttpMessageHandler(() => new LoopbackRedirectHandler(_entra.BaseAddress));
            services.AddSingleton(_dataSource);
            services.AddSingleton<TimeProvider>(_clock);
            services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section);
            services.AddSingleton<GraphCredentials>();
            services.AddSingleton<GraphHealth>();
            services.AddSingleton<GraphSync>();
        }, new Dictionary<string, string?>
        {
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = _graph.BaseUrl,
            ["Graph:PageSize"] = "2",
            ["Graph:BatchPause"] = batchPause,
        });
    }

    private Task<string?> PersonAsync(string who) => _database.ScalarAsync<string>($"""
        SELECT concat_ws('|', coalesce(p.time_zone, ''), coalesce(m.display_name, ''), p.active::text, coalesce(p.department, ''), coalesce(p.job_title, ''))
        FROM people p LEFT JOIN people m ON m.id = p.manager_id WHERE p.aad_object_id = 'aad-{who}'
        """);

    private async Task WriteFactAsync(string who, string field, string source, string value)
    {
        var id = await _database.ScalarAsync<long>($"SELECT id FROM people WHERE aad_object_id = 'aad-{who}'");
        await using var connection = await _dataSource.OpenConnectionAsync();
        await PersonFacts.WriteAsync(connection, null, [new PersonFact(id, field, source, value)], DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    [Test]
    public async Task Managers_zones_and_disabled_accounts_arrive_as_graph_facts_below_the_file_and_above_the_platform()
    {
        await WriteFactAsync("ana", PersonFacts.TimeZone, PersonFacts.Platform, "Europe/London");
        await WriteFactAsync("cai", PersonFacts.TimeZone, PersonFacts.File, "America/New_York");
        using var host = await HostAsync();

        var synced = await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(synced, Is.EqualTo(3), "only the people the tenant knows");
            Assert.That(await PersonAsync("ana"), Is.EqualTo("Asia/Tokyo|Bea Boss|true|Sales|Lead"), "Graph beats the platform's zone; the manager created");
            Assert.That(await PersonAsync("ben"), Is.EqualTo("Europe/Berlin|ana|false||"), "accountEnabled false: inactive");
            Assert.That(await PersonAsync("cai"), Is.EqualTo("America/New_York|ana|true||"), "the file's zone beats Graph's");
            Assert.That(await PersonAsync("boss"), Is.EqualTo("||true||"), "the manager is a known person (not synced until the next run)");
            Assert.That(await _database.ScalarAsync<string>("SELECT display_name || ' ' || platform_user_id FROM people WHERE aad_object_id = 'aad-boss'"),
                Is.EqualTo("Bea Boss aad-boss"));
            Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM people WHERE aad_object_id = 'aad-stranger'"), Is.Zero, "no one else in the directory is copied");
            Assert.That(await _database.ScalarAsync<string>("""
                SELECT string_agg(DISTINCT f.source, ',') FROM person_facts f JOIN people p ON p.id = f.person_id
                WHERE f.field IN ('manager', 'active', 'department', 'job_title') AND p.aad_object_id IN ('aad-ana', 'aad-ben', 'aad-cai')
                """), Is.EqualTo("graph"));
            Assert.That(await _database.ScalarAsync<string>("""
                SELECT f.value FROM person_facts f JOIN people p ON p.id = f.person_id
                WHERE f.field = 'time_zone' AND f.source = 'graph' AND p.aad_object_id = 'aad-cai'
                """), Is.EqualTo("America/Los_Angeles"), "Graph's zone is kept, Windows name made IANA, for when the file stops saying one");
            Assert.That(_entra.TokenRequests.Select(f => f["scope"]), Is.All.EqualTo("https://graph.microsoft.com/.default"));
            Assert.That(_graph.Requests.Select(r => r.Authorization), Is.All.EqualTo("Bearer entra-token-1"), "one app-only token, cached");
        }

        const string Versions = "SELECT string_agg(f.xmin::text, ',' ORDER BY f.person_id, f.field, f.source) FROM person_facts f JOIN people p ON p.id = f.person_id WHERE p.aad_object_id <> 'aad-boss'";
        var before = await _database.ScalarAsync<string>(Versions);
        await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None);
        Assert.That(await _database.ScalarAsync<string>(Versions), Is.EqualTo(before), "the same directory again writes nothing for the people already synced");
    }

    [Test]
    public async Task A_429_is_retried_after_its_Retry_After_and_every_page_is_read()
    {
        _graph.ThrottleListings = 1;
        using var host = await HostAsync();

        var synced = await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None);

        var listings = _graph.Requests.Where(r => r.Request.StartsWith("GET /v1.0/users?", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(synced, Is.EqualTo(3));
            Assert.That(listings, Has.Count.EqualTo(4), "the throttled first page, then three pages of two");
            Assert.That(listings[1].At - listings[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)), "waited for Retry-After: 1");
            Assert.That(listings[0].Request, Is.EqualTo(listings[1].Request), "the same request again");
            Assert.That(listings.Skip(2).Select(r => r.Request), Has.All.Contains("$skiptoken="), "the later pages by @odata.nextLink");
            Assert.That(await PersonAsync("ben"), Does.StartWith("Europe/Berlin|ana|false"), "the last page's people are synced too");
        }
    }

    [Test]
    public async Task A_missing_permission_is_one_log_line_and_a_degraded_health_part_not_an_exception()
    {
        _graph.Forbidden = true;
        using var host = await HostAsync();

        Assert.That(await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None), Is.Zero);

        var health = await host.Services.GetRequiredService<GraphHealth>().CheckHealthAsync(new HealthCheckContext());
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(health.Description, Does.Contain("403 Authorization_RequestDenied").And.Contain("User.Read.All"));
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors.Single(), Is.EqualTo(health.Description));
            Assert.That(await PersonAsync("ana"), Is.EqualTo("||true||"), "nothing written");
        }
    }

    [Test]
    public async Task An_expired_secret_is_one_log_line_without_the_secret_and_a_degraded_health_part()
    {
        using var host = await HostAsync(entraSecret: "the-renewed-secret");

        Assert.That(await host.Services.GetRequiredService<GraphSync>().SyncAsync(CancellationToken.None), Is.Zero);

        var health = await host.Services.GetRequiredService<GraphHealth>().CheckHealthAsync(new HealthCheckContext());
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Error && e.Category.Contains("Graph", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(health.Description, Does.Contain("invalid_client").And.Contain("Teams:AppPassword"));
            Assert.That(errors, Is.EqualTo(new[] { health.Description }));
            Assert.That(host.Logs.Entries.Select(e => e.Message), Has.None.Contains(ConnectorHost.AppPassword).And.None.Contains("the-renewed-secret"));
            Assert.That(_graph.Requests, Is.Empty, "Graph is not called without a token");
        });
    }
}
