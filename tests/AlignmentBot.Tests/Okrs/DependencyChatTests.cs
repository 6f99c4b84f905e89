using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Okrs;

/// <summary><c>depends on</c> / <c>no longer depends on</c> in chat: by the owner only, never a loop, audited; and how dependencies show in <c>okrs</c>.</summary>
public class DependencyChatTests
{
    private static readonly DateTimeOffset Now = new(2027, 11, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        var (platform, growth, payments) = (await seed.TeamAsync("Platform"), await seed.TeamAsync("Growth"), await seed.TeamAsync("Payments"));
        var ana = await seed.PersonAsync(platform, "ana", "Europe/London");
        var ben = await seed.PersonAsync(growth, "ben", "America/New_York");
        var cai = await seed.PersonAsync(payments, "cai", "Europe/London");
        var okrs = new OkrSeed(_database, seed);
        // Platform's SSO was last checked in 12 days ago (weekly): stale. Payments' checkout: confidence 3, off track.
        await KeyResultAsync(okrs, await okrs.ObjectiveAsync(platform, "Onboarding"), ana, "SSO", "PL-KR1", Now.AddDays(-12), confidence: 8);
        var pipeline = await okrs.ObjectiveAsync(growth, "Pipeline");
        await KeyResultAsync(okrs, pipeline, ben, "Signups", "GR-KR1", Now.AddDays(-2), confidence: 8);
        await KeyResultAsync(okrs, pipeline, ben, "Demos", "GR-KR2", Now.AddDays(-2), confidence: 8);
        await KeyResultAsync(okrs, await okrs.ObjectiveAsync(payments, "Checkout"), cai, "Checkout", "PA-KR1", Now.AddDays(-2), confidence: 3);
        _bot = new BotFactory(_database, time: new FakeTimeProvider(Now));
        _http = _bot.CreateClient();
    }

    private async Task KeyResultAsync(OkrSeed okrs, long objective, long owner, string title, string key, DateTimeOffset createdAt, int confidence)
    {
        var id = await okrs.KeyResultAsync(objective, owner, title, createdAt, confidence: confidence);
        await _database.ExecuteAsync($"UPDATE key_results SET external_key = '{key}' WHERE id = {id}");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<string> SayAsync(string who, string text)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message(who, text, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), "the reply");
        return replies[^1].Json!.ToJsonString(Readable);
    }

    private Task<string?> DependenciesAsync() => _database.ScalarAsync<string>("""
        SELECT string_agg(concat_ws('|', w.external_key || '→' || kt.external_key, d.needed_by, d.note), '; ' ORDER BY w.external_key, kt.external_key)
        FROM key_result_dependencies d JOIN key_results w ON w.id = d.key_result_id JOIN key_results kt ON kt.id = d.depends_on_id
        """);

    [Test]
    public async Task The_owner_adds_and_removes_a_dependency_and_each_change_is_audited()
    {
        Assert.That(await SayAsync("ana", "depends on pa-kr1 by 2027-12-01 note checkout must take SSO logins"), Does.Contain("Noted: “SSO” waits for Payments · Checkout (cai), needed by Wed 1 Dec 2027"));
        Assert.That(await SayAsync("ben", "depends on PL-KR1"), Does.Contain("You own several key results; say which one waits with `for <your key>`. Yours: GR-KR1, GR-KR2."));
        Assert.That(await SayAsync("ben", "depends on PL-KR1 for gr-kr2"), Does.Contain("Noted: “Demos” waits for Platform · SSO"));
        Assert.That(await DependenciesAsync(), Is.EqualTo("GR-KR2→PL-KR1; PL-KR1→PA-KR1|2027-12-01|checkout must take SSO logins"));

        Assert.That(await SayAsync("ben", "no longer depends on PL-KR1 for GR-KR2"), Does.Contain("Done: “Demos” no longer waits for Platform · SSO."));
        Assert.That(await SayAsync("ben", "no longer depends on PL-KR1 for GR-KR2"), Does.Contain("does not wait for Platform · SSO, so there is nothing to remove"));
        Assert.That(await DependenciesAsync(), Is.EqualTo("PL-KR1→PA-KR1|2027-12-01|checkout must take SSO logins"));
        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(actor || ' ' || action || ' ' || subject, '; ' ORDER BY id) FROM audit_log"), Does.Match(
            @"^person:\d+ okr\.dependency\.add PL-KR1 → PA-KR1; person:\d+ okr\.dependency\.add GR-KR2 → PL-KR1; person:\d+ okr\.dependency\.remove GR-KR2 → PL-KR1$"));
    }

    [Test]
    public async Task Only_the_owner_may_change_what_a_key_result_waits_for_and_unknown_keys_and_loops_are_refused()
    {
        Assert.That(await SayAsync("cai", "depends on PL-KR1 for GR-KR1"), Does.Contain("Only a key result's owner can change what it waits for"));
        Assert.That(await SayAsync("cai", "depends on NOPE-1"), Does.Contain("I know no key result by that key"));
        Assert.That(await SayAsync("cai", "depends on PA-KR1"), Does.Contain("cannot wait for itself"));
        Assert.That(await SayAsync("cai", "depends on PL-KR1 by tomorrow"), Does.Contain("I couldn't read “tomorrow” as a date"));

        await SayAsync("ben", "depends on PA-KR1 for GR-KR1");
        await SayAsync("cai", "depends on PL-KR1");
        Assert.That(await SayAsync("ana", "depends on GR-KR1"),
            Does.Contain("in a circle: Platform · SSO → Growth · Signups → Payments · Checkout → Platform · SSO. Nothing changed."), "a loop across three teams");
        Assert.That(await DependenciesAsync(), Is.EqualTo("GR-KR1→PA-KR1; PA-KR1→PL-KR1"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM audit_log"), Is.EqualTo(2), "refusals change nothing and are not audited");
    }

    [Test]
    public async Task Okrs_and_okrs_team_show_what_a_key_result_waits_for_and_how_it_stands()
    {
        await SayAsync("ben", "depends on PL-KR1 for GR-KR1");
        await SayAsync("ben", "depends on PA-KR1 for GR-KR2 by 2027-11-01");

        var bens = await SayAsync("ben", "okrs");
        Assert.That(bens, Does.Contain("↳ waits for Platform · SSO — stale for 4 days"), "SSO's weekly check-in has been overdue since 4 days ago");
        Assert.That(bens, Does.Contain("↳ waits for Payments · Checkout — late: needed by Mon 1 Nov"), "late overrides off track once the day has passed");
        Assert.That(await SayAsync("ana", "okrs"), Does.Contain("↳ 1 key result waits for this: Growth · Signups"));
        Assert.That(await SayAsync("ben", "okrs team"), Does.Contain("waits for Platform · SSO — stale for 4 days"));
    }
}
