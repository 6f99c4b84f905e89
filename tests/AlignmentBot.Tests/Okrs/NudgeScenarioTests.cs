using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Okrs;

/// <summary>
/// Three weeks of the nudge ladder on a fake clock, through the real endpoints, the real outbox dispatcher and the fake
/// Teams connector: owners in London and New York (where clocks go back on 7 November 2027, a week after London's),
/// a snooze, a check-in, an away, the weekly cap, and the manager's one consolidated message.
/// </summary>
public class NudgeScenarioTests
{
    // Monday 25 October 2027 00:00 UTC (the real-time nudge job can never reach it).
    private static readonly DateTimeOffset Start = new(2027, 10, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2027, 11, 17, 16, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private readonly Dictionary<string, long> _keyResults = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(Start);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        var seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        await _database.ExecuteAsync($"INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES ({seed.TenantId}, 'channel', '19:general@thread.tacv2', '{_connector.ServiceUrl}')");
        var team = await seed.TeamAsync("Platform");
        var ana = await seed.PersonAsync(team, "ana", "Europe/London");
        var ben = await seed.PersonAsync(team, "ben", "America/New_York");
        var manager = await seed.PersonAsync(team, "mgr", "Europe/London");
        await _database.ExecuteAsync($"UPDATE teams SET manager_id = {manager} WHERE id = {team}");
        var okrs = new OkrSeed(_database, seed);
        var objective = await okrs.ObjectiveAsync(team, "Make onboarding effortless");
        _keyResults.Clear();
        // Weekly check-ins, one day's grace: each becomes overdue 8 days after it was set up.
        for (var i = 1; i <= 4; i++)
        {
            _keyResults[$"A{i}"] = await okrs.KeyResultAsync(objective, ana, $"A{i}", Start.AddHours(9 + i), confidence: 8);
        }

        _keyResults["B1"] = await okrs.KeyResultAsync(objective, ben, "B1", Start, confidence: 8);
        _bot = new BotFactory(_database, time: _clock);
        _http = _bot.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task PressAsync(string who, string verb, string keyResult, Dictionary<string, string> inputs)
    {
        inputs["keyResultId"] = _keyResults[keyResult].ToString(CultureInfo.InvariantCulture);
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Invoke(who, verb, inputs, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What people do, at the quarter hour before that run of the job.</summary>
    private async Task ActAsync(DateTimeOffset at)
    {
        if (at == new DateTimeOffset(2027, 11, 2, 11, 15, 0, TimeSpan.Zero))
        {
            await PressAsync("ana", "okr.snooze", "A2", new() { ["for"] = "3d" });
        }
        else if (at == new DateTimeOffset(2027, 11, 3, 15, 0, 0, TimeSpan.Zero))
        {
            await PressAsync("ben", "okr.checkin", "B1", new() { ["value"] = "30", ["confidence"] = "6" });
        }
        else if (at == new DateTimeOffset(2027, 11, 8, 9, 30, 0, TimeSpan.Zero))
        {
            await PressAsync("ana", "okr.checkin", "A2", new() { ["value"] = "40", ["confidence"] = "7" });
        }
        else if (at == new DateTimeOffset(2027, 11, 11, 16, 0, 0, TimeSpan.Zero))
        {
            using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message("ben", "away until 2027-11-16", _connector.ServiceUrl));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Runs the nudge job's work every quarter hour of fake time, letting the dispatcher send what falls due.</summary>
    private async Task RunAsync()
    {
        var planner = _bot.Services.GetRequiredService<NudgePlanner>();
        for (var at = Start; at <= End; at = at.AddMinutes(15))
        {
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
    public async Task Three_weeks_of_nudges_follow_the_ladder_in_working_hours_with_the_cap_snooze_away_check_ins_and_one_manager_message()
    {
        await RunAsync();

        // Each message as the recipient saw it, in the order sent: local time, recipient, key result and step (or the
        // manager's summary). ben's 09:00 in New York is 13:00 UTC (EDT), 14:00 UTC after the clocks go back (EST).
        var timeline = await _database.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(' ', to_char(d.sent_at AT TIME ZONE coalesce(p.time_zone, 'UTC'), 'Dy DD Mon HH24:MI'), p.display_name,
                                        coalesce(kr.title || ' step ' || (d.payload->>'step'), 'summary of ' || (SELECT string_agg(k.title, '+' ORDER BY k.title)
                                                 FROM key_results k WHERE k.id IN (SELECT jsonb_array_elements_text(d.payload->'escalated')::bigint))),
                                        CASE WHEN jsonb_array_length(coalesce(d.payload->'folded', '[]')) > 0 THEN '(+' || jsonb_array_length(d.payload->'folded') || ' folded)' END),
                              E'\n' ORDER BY date_trunc('minute', d.sent_at), p.display_name)
            FROM deliveries d JOIN people p ON p.id = d.person_id
            LEFT JOIN key_results kr ON kr.id = (d.payload->>'keyResultId')::bigint
            WHERE d.status = 'sent'
            """);

        await TestContext.Out.WriteLineAsync(timeline);
        Assert.That(timeline, Is.EqualTo("""
            Tue 02 Nov 10:00 ana A1 step 1
            Tue 02 Nov 11:00 ana A2 step 1
            Tue 02 Nov 12:00 ana A3 step 1
            Tue 02 Nov 13:00 ana A4 step 1
            Tue 02 Nov 09:00 ben B1 step 1
            Thu 04 Nov 10:00 ana A1 step 2
            Fri 05 Nov 10:00 mgr summary of A1+A3+A4
            Tue 09 Nov 10:00 ana A3 step 2 (+1 folded)
            Thu 11 Nov 10:00 ben B1 step 1
            Tue 16 Nov 09:30 ana A2 step 1
            Wed 17 Nov 09:00 ben B1 step 2
            """.ReplaceLineEndings("\n")), """
            ben: 09:00 New York time both before (EDT) and after (EST) the clocks went back; his check-in on Wed 3 Nov stopped the
            first ladder and his away (through Tue 16 Nov) moved step 2 from Mon 15 to Wed 17. ana: her snooze kept A2's step 2 from
            Thursday; the cap (5 in 7 days) held A3's and A4's step 2 on Thursday and A2's on Friday; on Tue 9 Nov, when room came back,
            the held A3 went out with A4 folded in (A2 had been checked in). The manager got one message, when A1 reached step 3,
            escalating everything reminded twice.
            """);

        Assert.That(await _database.ScalarAsync<long>("""
            SELECT count(*) FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.status = 'sent' AND (SELECT count(*) FROM deliveries e WHERE e.person_id = d.person_id AND e.status = 'sent'
                                          AND e.not_before > d.not_before - interval '7 days' AND e.not_before <= d.not_before) > 5
            """), Is.Zero, "no one ever has more than 5 nudges in any 7 days (counted when each was decided; sending adds under a second)");
        Assert.That(await _database.ScalarAsync<long>("""
            SELECT count(*) FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.status = 'sent' AND (extract(isodow FROM d.sent_at AT TIME ZONE p.time_zone) > 5
                                         OR (d.sent_at AT TIME ZONE p.time_zone)::time NOT BETWEEN '09:00' AND '17:00')
            """), Is.Zero, "every nudge inside the recipient's working hours");

        var cards = _connector.Activities.Select(a => a.Json!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ToList();
        Assert.That(cards.RemoveAll(c => c.Contains("Got it: no check-in reminders through Tue 16 Nov 2027", StringComparison.Ordinal)), Is.EqualTo(1), "ben's reply to `away`");
        Assert.That(cards, Has.Count.EqualTo(11), "the nudges");
        Assert.That(cards, Has.All.Contain("Sent because:").And.All.Contain("rule: overdue check-in"), "every nudge says why");
        Assert.That(cards.First(c => c.Contains("“B1” is overdue", StringComparison.Ordinal)), Does.Contain("no check-in yet").And.Contain("Step 1 of 3").And.Contain("another reminder in 2 working days"));
        Assert.That(cards[5], Does.Contain("Step 2 of 3").And.Contain("your manager gets a summary in 1 working day"));
        var summary = cards[6];
        Assert.That(summary, Does.Contain("Platform: 4 key results need an update"), "one message with all of the team's overdue key results");
        Assert.That(summary, Does.Contain("\"text\":\"A2\"").And.Contain(" — ana · ").And.Contain("snoozed by the owner until"), "a snooze never hides the overdue state");
        Assert.That(summary, Does.Contain("step 3 of 3"));
        Assert.That(cards[7], Does.Contain("This reminder waited").And.Contain("And 1 more key result needs an update: “A4”"));
    }
}
