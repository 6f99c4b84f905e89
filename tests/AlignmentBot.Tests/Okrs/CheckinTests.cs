using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Okrs;

/// <summary>Checking in from the card, snoozing, <c>okrs</c>, <c>okrs team</c> and <c>away</c>, through the real /api/messages endpoint.</summary>
public class CheckinTests
{
    private static readonly DateTimeOffset Now = new(2027, 11, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _ana;
    private long _keyResult;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        var team = await seed.TeamAsync("Platform");
        _ana = await seed.PersonAsync(team, "ana", "Europe/London");
        await seed.PersonAsync(team, "cat", "Europe/London");
        var manager = await seed.PersonAsync(team, "mgr", "Europe/London");
        await _database.ExecuteAsync($"UPDATE teams SET manager_id = {manager} WHERE id = {team}");
        var okrs = new OkrSeed(_database, seed);
        var objective = await okrs.ObjectiveAsync(team, "Make onboarding effortless");
        // Created ten days ago with weekly check-ins: overdue since two days ago (7 + 1 day's grace).
        _keyResult = await okrs.KeyResultAsync(objective, _ana, "Activation rate", Now.AddDays(-10), start: 40, target: 60, current: 45, unit: "%", confidence: 8);
        _bot = new BotFactory(_database, time: new FakeTimeProvider(Now));
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

    private async Task<string> PressAsync(string who, string verb, Dictionary<string, string> data)
    {
        data.TryAdd("keyResultId", _keyResult.ToString(CultureInfo.InvariantCulture));
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Invoke(who, verb, data, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Serialize(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("value"), Readable);
    }

    private async Task<string> SayAsync(string who, string text)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message(who, text, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), "the reply");
        return replies[^1].Json!.ToJsonString(Readable);
    }

    private Task<long> CheckinsAsync() => _database.ScalarAsync<long>("SELECT count(*) FROM checkins");

    [TestCase("abc", "8", "“abc” is not a number")]
    [TestCase("", "8", "Enter the current value.")]
    [TestCase("140", "8", "A percentage is from 0 to 100; you entered 140.")]
    [TestCase("-5", "8", "A percentage is from 0 to 100; you entered -5.")]
    [TestCase("50", "11", "Confidence is a whole number from 0 (no chance) to 10 (certain); “11” is not.")]
    [TestCase("50", "seven", "“seven” is not.")]
    [TestCase("50", "", "Pick your confidence from 0 to 10.")]
    public async Task A_non_numeric_or_out_of_range_check_in_comes_back_with_the_reason_and_records_nothing(string value, string confidence, string reason)
    {
        var card = await PressAsync("ana", "okr.checkin", new() { ["value"] = value, ["confidence"] = confidence, ["blocker"] = "waiting on legal" });

        Assert.That(card, Does.Contain(reason));
        Assert.That(card, Does.Contain("waiting on legal"), "what was typed is kept");
        Assert.That(await CheckinsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_check_in_is_recorded_moves_the_key_result_ends_the_snooze_and_cancels_its_waiting_nudge()
    {
        await _database.ExecuteAsync($"UPDATE key_results SET snoozed_until = '{Now.AddDays(1):O}' WHERE id = {_keyResult}");
        await _database.ExecuteAsync($"""
            INSERT INTO deliveries (tenant_id, person_id, kind, payload, idempotency_key, not_before)
            SELECT tenant_id, {_ana}, 'nudge-owner', jsonb_build_object('keyResultId', {_keyResult}), 'nudge:test', '{Now.AddHours(1):O}' FROM people WHERE id = {_ana}
            """);

        var card = await PressAsync("ana", "okr.checkin", new() { ["value"] = "52.5", ["confidence"] = "7", ["blocker"] = "  waiting on legal " });

        Assert.That(card, Does.Contain("Checked in — thanks.").And.Contain("52.5% of 60%").And.Contain("on track"));
        Assert.That(card, Does.Contain("due by Fri 12 Nov, 10:00"), "next check-in due: now + 7 days + 1 day's grace, in London time");
        Assert.That(await _database.ScalarAsync<string>($"SELECT concat_ws('|', value, confidence, blocker, person_id = {_ana}, created_at = '{Now:O}') FROM checkins"),
            Is.EqualTo("52.5|7|waiting on legal|t|t"));
        Assert.That(await _database.ScalarAsync<string>($"SELECT concat_ws('|', current_value, confidence, last_checkin_at = '{Now:O}', snoozed_until IS NULL) FROM key_results WHERE id = {_keyResult}"),
            Is.EqualTo("52.5|7|t|t"));
        Assert.That(await _database.ScalarAsync<string>("SELECT status FROM deliveries WHERE idempotency_key = 'nudge:test'"), Is.EqualTo("cancelled"), "a check-in stops the ladder");
    }

    [Test]
    public async Task Only_the_owner_can_open_check_in_on_or_snooze_a_key_result()
    {
        foreach (var verb in new[] { "okr.checkin.open", "okr.checkin", "okr.snooze" })
        {
            var card = await PressAsync("cat", verb, new() { ["value"] = "59", ["confidence"] = "9", ["for"] = "1d" });
            Assert.That(card, Does.Contain("This key result is not yours to update"), verb);
        }

        Assert.That(await CheckinsAsync(), Is.Zero);
        Assert.That(await _database.ScalarAsync<bool>($"SELECT snoozed_until IS NULL FROM key_results WHERE id = {_keyResult}"), Is.True);
    }

    [Test]
    public async Task Snoozing_quiets_the_reminders_until_then_but_okrs_still_shows_the_key_result_as_stale()
    {
        var card = await PressAsync("ana", "okr.snooze", new() { ["for"] = "3d" });

        Assert.That(card, Does.Contain("No reminders about it until Sun 7 Nov, 10:00").And.Contain("still shows as stale"));
        Assert.That(await _database.ScalarAsync<DateTime>($"SELECT snoozed_until FROM key_results WHERE id = {_keyResult}"), Is.EqualTo(Now.AddDays(3).UtcDateTime));

        var mine = await SayAsync("ana", "okrs");
        Assert.That(mine, Does.Contain("stale: no check-in yet").And.Contain("reminders snoozed until Sun 7 Nov, 10:00").And.Contain("Check in (overdue)"));
        Assert.That(mine, Does.Not.Contain("on track"), "stale overrides the confidence of 8 the owner reported");

        var nextWeek = await PressAsync("ana", "okr.snooze", new() { ["for"] = "week" });
        Assert.That(nextWeek, Does.Contain("until Mon 8 Nov, 09:00"), "next week = the start of the owner's working day next Monday");
    }

    [Test]
    public async Task Okrs_team_shows_the_team_to_its_members_and_the_blocker_only_to_the_manager_and_the_owner()
    {
        await PressAsync("ana", "okr.checkin", new() { ["value"] = "50", ["confidence"] = "3", ["blocker"] = "waiting on legal" });

        var member = await SayAsync("cat", "okrs team");
        var manager = await SayAsync("mgr", "okrs team");
        var owner = await SayAsync("ana", "okrs team");

        Assert.That(member, Does.Contain("Activation rate").And.Contain("off track").And.Not.Contain("waiting on legal"));
        Assert.That(manager, Does.Contain("blocker: waiting on legal"));
        Assert.That(owner, Does.Contain("blocker: waiting on legal"));
    }

    [Test]
    public async Task Away_until_a_date_is_set_shown_to_the_team_and_can_be_ended_and_a_bad_date_gets_a_friendly_answer()
    {
        Assert.That(await SayAsync("ana", "away until 12 Nov"), Does.Contain("I couldn't read “12 Nov” as a date"));
        Assert.That(await SayAsync("ana", "away until 2027-10-01"), Does.Contain("Pick a day from today to a year from now"));

        Assert.That(await SayAsync("ana", "away until 2027-11-12"), Does.Contain("no check-in reminders through Fri 12 Nov 2027"));
        Assert.That(await _database.ScalarAsync<DateOnly>($"SELECT away_until FROM people WHERE id = {_ana}"), Is.EqualTo(new DateOnly(2027, 11, 12)));
        Assert.That(await SayAsync("cat", "okrs team"), Does.Contain("owner away until Fri 12 Nov"));

        Assert.That(await SayAsync("ana", "away off"), Does.Contain("Welcome back"));
        Assert.That(await _database.ScalarAsync<DateOnly?>($"SELECT away_until FROM people WHERE id = {_ana}"), Is.Null);
    }
}
