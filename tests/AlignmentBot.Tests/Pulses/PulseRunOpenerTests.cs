using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Pulses;

/// <summary>Opening a run: who is invited, when each card is due in their own time, and when nothing is sent.</summary>
public class PulseRunOpenerTests
{
    private TestDatabase _database = null!;
    private PulseSeed _seed = null!;
    private SurveyStore _surveys = null!;
    private PulseRunOpener _opener = null!;

    // Monday 2 November 2026, 06:00 UTC: before 10:00 in London and New York, after it in Tokyo.
    private static readonly DateTimeOffset Monday0600 = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        var dataSource = _database.CreateDataSource();
        var clock = new FakeTimeProvider(Monday0600);
        _surveys = new SurveyStore(dataSource, clock);
        _opener = new PulseRunOpener(dataSource, new Outbox(dataSource, clock));
    }

    [TearDown]
    public async Task StopAsync() => await _database.DisposeAsync();

    private Task<long> SurveyAsync(params long[] teams) => _surveys.SaveAsync(new SurveyDefinition
    {
        Tenant = PulseSeed.TenantExternalId,
        Name = "Alignment pulse",
        Questions = [new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity")],
        Audience = teams,
        Cadence = Cadences.Weekly,
        Day = "monday",
        LocalTime = "10:00",
    }, defaultForTeam: null, CancellationToken.None);

    [Test]
    public async Task Six_people_in_three_time_zones_each_get_their_card_at_ten_local()
    {
        var team = await _seed.TeamAsync("Platform");
        string?[] zones = ["Europe/London", "Europe/London", "America/New_York", "America/New_York", "Asia/Tokyo", null];
        for (var i = 0; i < zones.Length; i++)
        {
            await _seed.PersonAsync(team, $"p{i}", zones[i]);
        }

        var opening = await _opener.OpenAsync(await SurveyAsync(team), Monday0600, CancellationToken.None);

        Assert.That(opening.NotSentReason, Is.Null);
        Assert.That(opening.Invited, Is.EqualTo(6));
        var due = await _database.ScalarAsync<string>("""
            SELECT string_agg(p.display_name || '=' || to_char(d.not_before AT TIME ZONE 'UTC', 'Dy HH24:MI'), ' ' ORDER BY p.display_name)
            FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = 'pulse'
            """);
        // London 10:00 GMT = 10:00 UTC; New York 10:00 EST = 15:00 UTC; Tokyo's Monday 10:00 has passed → Tuesday 10:00 JST = 01:00 UTC;
        // no zone → the tenant's (London).
        Assert.That(due, Is.EqualTo("p0=Mon 10:00 p1=Mon 10:00 p2=Mon 15:00 p3=Mon 15:00 p4=Tue 01:00 p5=Mon 10:00"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE NOT answered"), Is.EqualTo(6));
    }

    [Test]
    public async Task An_audience_under_the_score_threshold_is_not_sent_and_the_reason_is_kept()
    {
        var team = await _seed.TeamAsync("Small");
        for (var i = 0; i < 4; i++)
        {
            await _seed.PersonAsync(team, $"s{i}", "Europe/London");
        }

        var opening = await _opener.OpenAsync(await SurveyAsync(team), Monday0600, CancellationToken.None);

        Assert.That(opening.NotSentReason, Does.Contain("4 people, fewer than the score threshold of 5"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries"), Is.Zero);
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM invitations"), Is.Zero);
        Assert.That(await _database.ScalarAsync<string>("SELECT status || ': ' || not_sent_reason FROM survey_runs"), Does.StartWith("cancelled: Not sent"));
    }

    [Test]
    public async Task Each_active_person_is_invited_once_however_many_audience_teams_they_are_in()
    {
        var a = await _seed.TeamAsync("A");
        var b = await _seed.TeamAsync("B");
        for (var i = 0; i < 5; i++)
        {
            var person = await _seed.PersonAsync(a, $"m{i}", "Europe/London");
            await _seed.AddToTeamAsync(b, person);
        }

        await _seed.PersonAsync(b, "gone", "Europe/London", active: false);
        await _seed.PersonAsync(b, "optout", "Europe/London", optedOut: true);

        var opening = await _opener.OpenAsync(await SurveyAsync(a, b), Monday0600, CancellationToken.None);

        Assert.That(opening.Invited, Is.EqualTo(5));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'pulse'"), Is.EqualTo(5));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM invitations i JOIN people p ON p.id = i.person_id WHERE p.display_name IN ('gone', 'optout')"), Is.Zero);
    }

    [Test]
    public async Task Opening_twice_at_the_same_instant_opens_one_run_and_sends_once()
    {
        var team = await _seed.TeamAsync("Twice");
        for (var i = 0; i < 5; i++)
        {
            await _seed.PersonAsync(team, $"t{i}", "Europe/London");
        }

        var survey = await SurveyAsync(team);
        var first = await _opener.OpenAsync(survey, Monday0600, CancellationToken.None);
        var second = await _opener.OpenAsync(survey, Monday0600, CancellationToken.None);

        Assert.That(second.RunId, Is.EqualTo(first.RunId));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM survey_runs"), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'pulse'"), Is.EqualTo(5));
    }

    [Test]
    public async Task Reopening_after_a_crash_between_the_run_and_its_deliveries_sends_the_missing_cards()
    {
        var team = await _seed.TeamAsync("Crash");
        for (var i = 0; i < 5; i++)
        {
            await _seed.PersonAsync(team, $"c{i}", "Europe/London");
        }

        var survey = await SurveyAsync(team);
        await _opener.OpenAsync(survey, Monday0600, CancellationToken.None);
        await _database.ExecuteAsync("DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE kind = 'pulse' ORDER BY id LIMIT 3)"); // as if the enqueue never happened

        await _opener.OpenAsync(survey, Monday0600, CancellationToken.None);

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'pulse'"), Is.EqualTo(5));
    }

    [Test]
    public async Task Reminders_are_spread_over_the_window_at_the_local_pulse_time_and_never_at_or_after_the_close()
    {
        var team = await _seed.TeamAsync("Reminded");
        string[] zones = ["Europe/London", "Asia/Tokyo", "Europe/London", "Europe/London", "Europe/London"];
        for (var i = 0; i < zones.Length; i++)
        {
            await _seed.PersonAsync(team, $"r{i}", zones[i]);
        }

        await _opener.OpenAsync(await SurveyAsync(team), Monday0600, CancellationToken.None); // window 3 days, 2 reminders: closes Thu 06:00 UTC

        var reminders = await _database.ScalarAsync<string>("""
            SELECT string_agg(p.display_name || '=' || to_char(d.not_before AT TIME ZONE 'UTC', 'Dy HH24:MI'), ' ' ORDER BY p.display_name, d.not_before)
            FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = 'pulse-reminder' AND p.display_name IN ('r0', 'r1')
            """);
        // London: Tue and Wed at 10:00. Tokyo (card Tue 10:00 JST): Wed 10:00 JST and Thu 10:00 JST (= Thu 01:00 UTC, before the close).
        Assert.That(reminders, Is.EqualTo("r0=Tue 10:00 r0=Wed 10:00 r1=Wed 01:00 r1=Thu 01:00"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'pulse-reminder'"), Is.EqualTo(10), "two each, at most");
    }

    [TestCase(3, "")]
    [TestCase(4, "Mon 10:00 (1 of 1)")]
    [TestCase(5, "Mon 10:00 (1 of 2) Tue 10:00 (2 of 2)")]
    public async Task A_run_opened_on_a_friday_reminds_only_on_working_days_before_the_close_and_never_twice_at_once(int windowDays, string expected)
    {
        var team = await _seed.TeamAsync("Friday");
        for (var i = 0; i < 5; i++)
        {
            await _seed.PersonAsync(team, $"f{i}", "Europe/London"); // the score threshold's five
        }

        var survey = await _surveys.SaveAsync(new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Friday pulse",
            Questions = [new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity")],
            Audience = [team],
            Cadence = Cadences.Weekly,
            Day = "friday",
            LocalTime = "10:00",
            AnswerWindowDays = windowDays,
        }, defaultForTeam: null, CancellationToken.None);

        // Friday 6 November 2026, 10:00 in London (UTC in November): the card goes at once.
        await _opener.OpenAsync(survey, new DateTimeOffset(2026, 11, 6, 10, 0, 0, TimeSpan.Zero), CancellationToken.None);

        var reminders = await _database.ScalarAsync<string>("""
            SELECT coalesce(string_agg(to_char(d.not_before AT TIME ZONE 'UTC', 'Dy HH24:MI') || ' (' || (d.payload->>'step') || ' of ' || (d.payload->>'of') || ')',
                                       ' ' ORDER BY d.not_before), '')
            FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = 'pulse-reminder' AND p.display_name = 'f0'
            """);
        // 3 days: both slots (Sat, Sun) move to Monday 10:00, the close itself, so none is left. 4 days: both land
        // on Monday 10:00, one reminder. 5 days: Sat 02:00 → Mon 10:00, Mon 18:00 → Tue 10:00.
        Assert.That(reminders, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_run_closes_when_its_window_ends_and_only_then()
    {
        var team = await _seed.TeamAsync("Closing");
        for (var i = 0; i < 5; i++)
        {
            await _seed.PersonAsync(team, $"x{i}", "Europe/London");
        }

        var opening = await _opener.OpenAsync(await SurveyAsync(team), Monday0600, CancellationToken.None);
        var closer = new RunCloser(_database.CreateDataSource());

        Assert.That(await closer.CloseDueAsync(opening.ClosesAt.AddSeconds(-1), CancellationToken.None), Is.Empty);
        Assert.That(await closer.CloseDueAsync(opening.ClosesAt, CancellationToken.None), Is.EqualTo(new[] { opening.RunId }));
        Assert.That(await closer.CloseDueAsync(opening.ClosesAt.AddHours(1), CancellationToken.None), Is.Empty, "closing again changes nothing");
        Assert.That(await _database.ScalarAsync<string>($"SELECT status FROM survey_runs WHERE id = {opening.RunId}"), Is.EqualTo("closed"));
    }
}
