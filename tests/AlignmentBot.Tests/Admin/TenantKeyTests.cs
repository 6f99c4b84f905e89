using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Admin;

/// <summary>
/// A tenant's admin key attacks another tenant through every admin route: it sees and changes only its own; the
/// global key sees all; every change is in the audit trail, which a tenant key reads only for its own tenant.
/// </summary>
public class TenantKeyTests
{
    private const string GlobalKey = "global-admin-key-0123456789abcdef";
    private const string OwnKey = "tenant-p-admin-key-0123456789abcdef";
    private const string Other = "tenant-q";

    private TestDatabase _database = null!;
    private BotFactory _bot = null!;
    private long _ownTeam;
    private long _otherTeam;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        _ownTeam = await seed.TeamAsync("Platform");
        var other = await _database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id, time_zone) VALUES ('teams', '{Other}', 'Europe/London') RETURNING id");
        _otherTeam = await _database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({other}, 'Rivals') RETURNING id");
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = GlobalKey,
            [$"Admin:TenantKeys:{PulseSeed.TenantExternalId}"] = OwnKey,
        });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private HttpClient Client(string key)
    {
        var http = _bot.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    private static object Survey(string tenant, long team) => new
    {
        tenant,
        name = "Alignment pulse",
        questions = new[] { new { kind = "likert5", prompt = "Clear?", driver = "clarity" } },
        audience = new[] { team },
        cadence = "weekly",
        day = "monday",
        localTime = "10:00",
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<long> CreateSurveyAsync(HttpClient http, string tenant, long team)
    {
        using var created = await http.PostAsJsonAsync("/admin/surveys", Survey(tenant, team));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await JsonAsync(created)).GetProperty("id").GetInt64();
    }

    [Test]
    public async Task A_tenant_key_cannot_see_or_change_another_tenant_by_any_route()
    {
        using var global = Client(GlobalKey);
        using var own = Client(OwnKey);
        var otherSurvey = await CreateSurveyAsync(global, Other, _otherTeam);
        var ownSurvey = await CreateSurveyAsync(own, PulseSeed.TenantExternalId, _ownTeam);
        var otherRun = await _database.ScalarAsync<long>($"""
            INSERT INTO survey_runs (survey_id, opened_at, closes_at, status) VALUES ({otherSurvey}, now(), now() + interval '1 day', 'open') RETURNING id
            """);
        var before = await _database.ScalarAsync<string>("SELECT string_agg(s::text, ';' ORDER BY id) FROM surveys s");
        var digestBefore = await _database.ScalarAsync<string>("SELECT string_agg(t::text, ';' ORDER BY id) FROM teams t");

        var attacks = new (HttpMethod Method, string Path, object? Body, HttpStatusCode Expected)[]
        {
            (HttpMethod.Get, "/admin/surveys?tenant=" + Other, null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/admin/surveys/{otherSurvey}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/admin/surveys/{otherSurvey}/runs", null, HttpStatusCode.NotFound),
            (HttpMethod.Put, $"/admin/surveys/{otherSurvey}", Survey(Other, _otherTeam), HttpStatusCode.NotFound),
            (HttpMethod.Put, $"/admin/surveys/{ownSurvey}", Survey(Other, _otherTeam), HttpStatusCode.Forbidden),
            (HttpMethod.Post, "/admin/surveys", Survey(Other, _otherTeam), HttpStatusCode.Forbidden),
            (HttpMethod.Post, $"/admin/surveys/{otherSurvey}/runs", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/admin/runs/{otherRun}/close", null, HttpStatusCode.NotFound),
            (HttpMethod.Put, $"/admin/tenants/teams/{Other}/default-pulse", new { enabled = false }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/admin/tenants/teams/{Other}/rhythm", null, HttpStatusCode.Forbidden),
            (HttpMethod.Put, $"/admin/tenants/teams/{Other}/digest", new { day = "friday", time = "15:00" }, HttpStatusCode.Forbidden),
            (HttpMethod.Put, $"/admin/teams/{_otherTeam}/digest", new { day = "friday", time = "15:00" }, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/admin/tenants/teams/{Other}/okrs", new { objectives = Array.Empty<object>() }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, "/admin/audit?tenant=" + Other, null, HttpStatusCode.Forbidden),
        };
        foreach (var (method, path, body, expected) in attacks)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await own.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(expected), $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(s::text, ';' ORDER BY id) FROM surveys s"), Is.EqualTo(before), "no survey changed");
        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(t::text, ';' ORDER BY id) FROM teams t"), Is.EqualTo(digestBefore), "no team's digest changed");
        Assert.That(await _database.ScalarAsync<string>($"SELECT status FROM survey_runs WHERE id = {otherRun}"), Is.EqualTo("open"));
        Assert.That(await _database.ScalarAsync<string>($"SELECT settings->>'defaultPulse' FROM tenants WHERE external_id = '{Other}'"), Is.Null);

        // Its own tenant, and only it, is listed; the global key sees both.
        var listed = await JsonAsync(await own.GetAsync(new Uri("/admin/surveys", UriKind.Relative)));
        Assert.That(listed.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()), Is.EqualTo(new[] { ownSurvey }));
        var all = await JsonAsync(await global.GetAsync(new Uri("/admin/surveys", UriKind.Relative)));
        Assert.That(all.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()), Is.EquivalentTo(new[] { ownSurvey, otherSurvey }));
        using var ownRhythm = await own.GetAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/rhythm", UriKind.Relative));
        Assert.That(ownRhythm.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_change_is_audited_with_the_key_named_and_a_tenant_key_reads_only_its_own_entries()
    {
        using var global = Client(GlobalKey);
        using var own = Client(OwnKey);
        var otherSurvey = await CreateSurveyAsync(global, Other, _otherTeam);
        var ownSurvey = await CreateSurveyAsync(own, PulseSeed.TenantExternalId, _ownTeam);
        using var off = await own.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/default-pulse", new { enabled = false });
        using var read = await own.GetAsync(new Uri($"/admin/surveys/{ownSurvey}", UriKind.Relative));
        using var refused = await own.PostAsJsonAsync("/admin/surveys", Survey(Other, _otherTeam));

        var trail = await _database.ScalarAsync<string>("""
            SELECT string_agg(coalesce(t.external_id, '-') || ' | ' || a.actor || ' | ' || a.action || ' | ' || coalesce(a.subject, '-'), E'\n' ORDER BY a.id)
            FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id
            """);
        Assert.That(trail, Is.EqualTo(string.Join('\n',
            $"{Other} | global key | POST /admin/surveys | survey {otherSurvey}",
            $"{PulseSeed.TenantExternalId} | tenant key ({PulseSeed.TenantExternalId}) | POST /admin/surveys | survey {ownSurvey}",
            $"{PulseSeed.TenantExternalId} | tenant key ({PulseSeed.TenantExternalId}) | PUT /admin/tenants/{{platform}}/{{tenant}}/default-pulse | -")),
            "reads and refusals change nothing and are not audited");
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE audit_log::text LIKE '%{OwnKey[..12]}%' OR audit_log::text LIKE '%{GlobalKey[..12]}%'"),
            Is.Zero, "no key, nor a piece of one, is ever written");

        var ownPage = await JsonAsync(await own.GetAsync(new Uri("/admin/audit", UriKind.Relative)));
        Assert.That(ownPage.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("tenant").GetString()),
            Is.EqualTo(new[] { PulseSeed.TenantExternalId, PulseSeed.TenantExternalId }), "a tenant key reads its own tenant's entries only");

        // Paged newest first: one entry a page, following "next" until it is empty.
        var actions = new List<string>();
        var next = "/admin/audit?limit=1";
        for (var pages = 0; pages < 10 && next is not null; pages++)
        {
            var page = await JsonAsync(await global.GetAsync(new Uri(next, UriKind.Relative)));
            var entries = page.GetProperty("entries").EnumerateArray().ToList();
            actions.AddRange(entries.Select(e => e.GetProperty("subject").GetString() ?? "-"));
            next = entries.Count == 0 ? null : page.GetProperty("next").GetString() + "&limit=1";
        }

        Assert.That(actions, Is.EqualTo(new[] { "-", $"survey {ownSurvey}", $"survey {otherSurvey}" }));
    }

    [Test]
    public async Task Wrong_keys_from_one_address_are_limited_to_429_with_retry_after_and_good_keys_are_not_counted()
    {
        using var global = Client(GlobalKey);
        for (var i = 0; i < 30; i++)
        {
            using var fine = await global.GetAsync(new Uri("/admin/surveys", UriKind.Relative));
            Assert.That(fine.StatusCode, Is.EqualTo(HttpStatusCode.OK), "good keys never count against the address");
        }

        using var wrong = Client(GlobalKey + "x");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await wrong.GetAsync(new Uri("/admin/surveys", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses.Take(10), Is.All.EqualTo(HttpStatusCode.Unauthorized), "the default allows 10 wrong keys a minute");
        Assert.That(statuses.Skip(10), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        using var locked = await global.GetAsync(new Uri("/admin/surveys", UriKind.Relative));
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "while locked out even the right key gets no answer, so guessing learns nothing");
        Assert.That(locked.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
    }
}
