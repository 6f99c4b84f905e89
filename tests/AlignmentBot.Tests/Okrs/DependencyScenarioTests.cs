using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Okrs;

/// <summary>
/// Two and a half weeks of a dependency across teams on a fake clock, through the real endpoints, nudge planner, outbox
/// dispatcher and fake Teams connector: Growth (ben, New York) and Payments (cai, London) wait for Platform's SSO (ana,
/// London). SSO goes stale; Growth's digest shows it under "Blocked by"; ana gets one message in her working hours; the
/// roll-up flags Platform; a check-in at confidence 5 keeps it at risk but the weekly limit holds the next message; a
/// check-in at 8 resolves it and ben and cai each hear so in their own working hours.
/// </summary>
public class DependencyScenarioTests
{
    // Monday 25 October 2027 00:00 UTC; New York's clocks go back on Sunday 7 November (London's went back on 31 October).
    private static readonly DateTimeOffset Start = new(2027, 10, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2027, 11, 10, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DigestAt = new(2027, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _tenantId;
    private long _sso;
    private readonly List<string> _checkinReplies = [];
    private readonly Dictionary<string, string> _digests = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(Start);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        var seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        _tenantId = seed.TenantId;
        var (platform, growth, payments) = (await seed.TeamAsync("Platform"), await seed.TeamAsync("Growth"), await seed.TeamAsync("Payments"));
        await _database.ExecuteAsync($"UPDATE teams SET time_zone = 'America/New_York' WHERE id = {growth}");
        var ana = await seed.PersonAsync(platform, "ana", "Europe/London");
        var ben = await seed.PersonAsync(growth, "ben", "America/New_York");
        var cai = await seed.PersonAsync(payments, "cai", "Europe/London");
        var okrs = new OkrSeed(_database, seed);
        // Weekly check-ins, one day's grace: SSO is stale from Tuesday 2 November 00:00 UTC.
        _sso = await KeyResultAsync(okrs, await okrs.ObjectiveAsync(platform, "Onboarding"), ana, "SSO", "PL-KR1");
        await KeyResultAsync(okrs, await okrs.ObjectiveAsync(growth, "Pipeline"), ben, "Signups", "GR-KR1");
        await KeyResultAsync(okrs, await okrs.ObjectiveAsync(payments, "Checkout"), cai, "Checkout", "PA-KR1");
        // Growth's and Payments' own key results stay checked in, so only SSO's ladder runs.
        await _database.ExecuteAsync("UPDATE key_results SET checkin_cadence_days = 60 WHERE external_key <> 'PL-KR1'");
        _bot = new BotFactory(_database, time: _clock);
        _http = _bot.CreateClient();
    }

    private async Task<long> KeyResultAsync(OkrSeed okrs, long objective, long owner, string title, string key)
    {
        var id = await okrs.KeyResultAsync(objective, owner, title, Start, confidence: 8);
        await _database.ExecuteAsync($"UPDATE key_results SET external_key = '{key}' WHERE id = {id}");
        return id;
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task SayAsync(string who, string text)
    {
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message(who, text, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
    }

    private async Task CheckInAsync(string confidence)
    {
        var data = new Dictionary<string, string> { ["keyResultId"] = _sso.ToString(CultureInfo.InvariantCulture), ["value"] = "40", ["confidence"] = confidence };
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Invoke("ana", "okr.checkin", data, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        _checkinReplies.Add(JsonSerializer.Serialize(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("value"), Readable));
    }

    /// <summary>What people do at a quarter hour, before that run of the nudge job.</summary>
    private async Task ActAsync(DateTimeOffset at)
    {
        if (at == Start.AddHours(14))
        {
            await SayAsync("ben", "depends on PL-KR1 by 2027-12-15 note the launch campaign needs SSO");
            await SayAsync("cai", "depends on pl-kr1");
        }
        else if (at == DigestAt)
        {
            var builder = _bot.Services.GetRequiredService<DigestBuilder>();
            var teams = await builder.BuildAsync(_tenantId, null, at, CancellationToken.None);
            _digests["Growth"] = Text(DigestCards.Team(teams.Single(t => t.Team == "Growth"), null, "Sent because: a test"));
            _digests["Platform"] = Text(DigestCards.Team(teams.Single(t => t.Team == "Platform"), null, "Sent because: a test"));
            _digests["roll-up"] = Text(RollupCards.Rollup(teams, at, "Europe/London", "Sent because: a test"));
        }
        else if (at == new DateTimeOffset(2027, 11, 4, 10, 0, 0, TimeSpan.Zero))
        {
            await CheckInAsync("5");
        }
        else if (at == new DateTimeOffset(2027, 11, 8, 13, 0, 0, TimeSpan.Zero))
        {
            await CheckInAsync("8");
        }
    }

    private static string Text(Card card) => AdaptiveCardRenderer.Render(card).ToJsonString(Readable);

    private async Task RunAsync()
    {
        var planner = _bot.Services.GetRequiredService<NudgePlanner>();
        for (var (at, runs) = (Start, 0); at <= End; at = at.AddMinutes(15), runs++)
        {
            Assert.That(runs, Is.LessThan(2000), "the scenario's clock must reach its end");
            if (at > _clock.GetUtcNow())
            {
                _clock.Advance(at - _clock.GetUtcNow());
            }

            await ActAsync(at);
            await planner.PlanAsync(at, CancellationToken.None);
            await FakeClockDispatch.SendDueAsync(_database, _clock);
        }
    }

    [Test]
    public async Task A_stale_dependency_is_shown_nudged_once_in_working_hours_flagged_and_its_resolution_told_to_each_waiting_owner()
    {
        await RunAsync();

        // Every message across the seam, as its recipient saw it: local time, recipient, kind, how many dependencies.
        var timeline = await _database.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(' ', to_char(d.sent_at AT TIME ZONE p.time_zone, 'Dy DD Mon HH24:MI'), p.display_name, d.kind,
                                        jsonb_array_length(d.payload->'dependencies')), E'\n' ORDER BY d.sent_at, p.display_name)
            FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.status = 'sent' AND d.kind LIKE 'dependency-%'
            """);
        await TestContext.Out.WriteLineAsync(timeline);
        Assert.That(timeline, Is.EqualTo("""
            Tue 02 Nov 09:00 ana dependency-slipped 2
            Mon 08 Nov 13:00 cai dependency-resolved 1
            Mon 08 Nov 09:00 ben dependency-resolved 1
            """.ReplaceLineEndings("\n")), """
            SSO went stale at 00:00 on Tue 2 Nov; ana heard at 09:00 London, once, about both teams waiting. Her check-in at
            confidence 5 on Thu 4 Nov started a new at-risk episode, but the limit of one message per dependency a week held it.
            Her check-in at 8 on Mon 8 Nov 13:00 UTC resolved both: cai heard at once (13:00 London), ben at 09:00 New York
            (14:00 UTC, after New York's clocks went back).
            """);

        Assert.That(_digests["Growth"], Does.Contain("Blocked by").And.Contain("waits for Platform · SSO — stale for 1 day"), "the waiting team's digest");
        Assert.That(_digests["Platform"], Does.Contain("Blocking").And.Contain("Growth · Signups waits for it — stale for 1 day"));
        Assert.That(_digests["roll-up"], Does.Contain("⚑ **Others wait on a key result that is at risk, off track, stale or late**: 2 teams wait on Platform, whose key result “SSO” is stale"),
            "the roll-up's flag, with its rule");

        var cards = _connector.Activities.Select(a => a.Json!.ToJsonString(Readable)).ToList();
        var slipped = cards.Single(c => c.Contains("are waiting on “SSO”", StringComparison.Ordinal));
        Assert.That(slipped, Does.Contain("Growth and Payments are waiting on “SSO”"));
        Assert.That(slipped, Does.Contain("**Growth · Signups** (ben) waits for it since Mon 25 Oct, needed by Wed 15 Dec — stale for less than a day (since Tue 2 Nov). Note: the launch campaign needs SSO"),
            "names who waits and since when");
        Assert.That(slipped, Does.Contain("Sent because: key results in Growth and Payments wait for yours, and it is stale").And.Contain("at most one such message per dependency a week"));
        Assert.That(cards.Count(c => c.Contains("Unblocked: Platform · SSO", StringComparison.Ordinal)), Is.EqualTo(2), "ben and cai each hear it is resolved");
        Assert.That(cards.Single(c => c.Contains("Unblocked", StringComparison.Ordinal) && c.Contains("Signups", StringComparison.Ordinal)),
            Does.Contain("“Signups” waits for Platform · SSO — on track").And.Contain("Sent because:"));

        Assert.That(_checkinReplies[0], Does.Contain("2 key results in Growth and Payments still wait on this: it is at risk."));
        Assert.That(_checkinReplies[1], Does.Contain("This unblocks 2 key results in Growth and Payments"));

        Assert.That(await _database.ScalarAsync<long>("""
            SELECT count(*) FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.status = 'sent' AND (extract(isodow FROM d.sent_at AT TIME ZONE p.time_zone) > 5
                                         OR (d.sent_at AT TIME ZONE p.time_zone)::time NOT BETWEEN '09:00' AND '17:00')
            """), Is.Zero, "every message (the ladder's and the dependencies') inside the recipient's working hours");
        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(kind || ':' || n, ',' ORDER BY kind) FROM (SELECT kind, count(*) n FROM dependency_nudges GROUP BY kind) k"),
            Is.EqualTo("resolved:2,slipped:2"), "one slipped and one resolved row per dependency: the weekly limit held the at-risk episode of Thu 4 Nov");
    }

    [Test]
    public async Task A_second_scan_at_the_same_instant_decides_nothing_new()
    {
        await SayAsync("ben", "depends on PL-KR1");
        var at = new DateTimeOffset(2027, 11, 2, 9, 0, 0, TimeSpan.Zero);
        _clock.Advance(at - _clock.GetUtcNow());
        var planner = _bot.Services.GetRequiredService<DependencyNudgePlanner>();

        var first = await planner.PlanAsync(at, CancellationToken.None);
        var second = await planner.PlanAsync(at, CancellationToken.None);
        var later = await planner.PlanAsync(at.AddHours(1), CancellationToken.None);

        Assert.That((first, second, later), Is.EqualTo((1, 0, 0)));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'dependency-slipped'"), Is.EqualTo(1));
    }
}
