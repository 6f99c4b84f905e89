using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// The Teams scenarios in a Slack workspace (single-workspace mode): the directory from users.list, a team from the
/// channel the bot was added to, jobs fired by the real Quartz scheduler on the fake clock, the outbox sending Block Kit
/// to the fake Slack Web API, and people answering with signed clicks and modals.
/// </summary>
public class SlackScenarioTests
{
    // Monday 1 February 2027, 06:00 UTC.
    private static readonly DateTimeOffset Start = new(2027, 2, 1, 6, 0, 0, TimeSpan.Zero);

    private static readonly (string User, string Zone)[] People =
        [("U0LON1", "Europe/London"), ("U0LON2", "Europe/London"), ("U0NYC1", "America/New_York"), ("U0NYC2", "America/New_York"), ("U0TYO1", "Asia/Tokyo"), ("U0TYO2", "Asia/Tokyo")];

    private SlackHarness _h = null!;
    private SlackSeed _seed = null!;
    private SlackClicks _clicks = null!;
    private long _team;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync(SlackSeed.Settings, Start);
        _clicks = new SlackClicks(_h);
        _seed = await new SlackSeed(_h).TenantAsync();
        foreach (var (user, zone) in People.Append(("U0BOSS", "Europe/London")))
        {
            _h.Slack.Users.Add(new JsonObject { ["id"] = user, ["name"] = user.ToLowerInvariant(), ["tz"] = zone, ["profile"] = new JsonObject { ["real_name"] = user } });
        }

        _h.Slack.Users.Add(new JsonObject { ["id"] = "U0GONE", ["deleted"] = true, ["name"] = "gone", ["tz"] = "Europe/London" });
        _h.Slack.Channels["C0PLATFORM"] = [.. People.Select(p => p.User), _h.Slack.BotUserId];

        // This test's own survey is the one answered: the team's default pulse stays off.
        using (var admin = _seed.Admin())
        using (var off = await admin.PutAsJsonAsync($"/admin/tenants/slack/{_h.Slack.TeamId}/default-pulse", new { enabled = false }))
        {
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var joined = await _h.PostEventAsync(new JsonObject
        {
            ["type"] = "member_joined_channel", ["user"] = _h.Slack.BotUserId, ["channel"] = "C0PLATFORM", ["channel_type"] = "C", ["team"] = _h.Slack.TeamId,
        }, "EvJoin");
        await _h.IdleAsync();
        _team = await _h.Database.ScalarAsync<long>("SELECT id FROM teams WHERE external_id = 'C0PLATFORM'");
        // The team is named after its channel ("#C0PLATFORM": the fake has no conversations.info); an admin names it.
        await _h.Database.ExecuteAsync($"UPDATE teams SET name = 'Platform', manager_id = (SELECT id FROM people WHERE platform_user_id = 'U0BOSS') WHERE id = {_team}");
    }

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    /// <summary>Fires a job now through the real, clustered Quartz scheduler (which runs on the app's clock, the fake).</summary>
    private async Task FireAsync(JobKey job)
    {
        var scheduler = await _h.Bot.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(job);
    }

    private async Task<string> LocalSentAsync(string user, string kind)
    {
        var sent = await _h.Database.ScalarAsync<DateTime?>(
            $"SELECT d.sent_at FROM deliveries d JOIN people p ON p.id = d.person_id WHERE p.platform_user_id = '{user}' AND d.kind = '{kind}' AND d.status = 'sent'");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(People.Single(p => p.User == user).Zone);
        return sent is { } at ? TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture) : "not sent";
    }

    private async Task AnswerAsync(string user, string likert, string enps)
    {
        var pulse = _clicks.To(user)[0];
        await TapAsync(user, pulse, likert);
        await TapAsync(user, pulse, enps);
        Assert.That(_clicks.Latest(pulse).Text, Is.EqualTo("Thanks — recorded."), user);
    }

    /// <summary>Taps an answer; once everything is answered the questions are behind "Edit my answers", which is tapped first.</summary>
    private async Task TapAsync(string user, FakeSlackMessage pulse, string answer)
    {
        if (SlackClicks.Buttons(_clicks.Latest(pulse)).All(b => (string?)b.Button["text"]!["text"] != answer))
        {
            using var edit = await _clicks.ClickAsync(user, pulse, "Edit my answers");
            await _h.IdleAsync();
        }

        using var tap = await _clicks.ClickAsync(user, pulse, answer);
        Assert.That(tap.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _h.IdleAsync();
    }

    /// <summary>A DM to the bot and its reply, as the person sees it.</summary>
    private async Task<string> SayAsync(string user, string text, string eventId)
    {
        var before = _h.Slack.Messages.Count;
        using var response = await _h.PostEventAsync(SlackHarness.DirectMessage(user, text), eventId);
        await _h.IdleAsync();
        return _h.Slack.Messages.Skip(before).Single(m => m.Channel == "D" + user[1..]).Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Test]
    public async Task A_pulse_fired_by_quartz_reaches_six_people_at_their_10_00_is_answered_by_taps_reminds_only_the_one_who_did_not_and_shows_results_after_the_close()
    {
        Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM people WHERE active AND tenant_id = (SELECT id FROM tenants WHERE platform = 'slack')"),
            Is.EqualTo(7), "users.list: six in the channel and the manager; the deleted account skipped");
        var (surveyId, _) = await _seed.SurveyAsync(_team);
        await FireAsync(PulseSchedule.JobKeyFor(surveyId));
        var runId = await Eventually.ValueAsync(() => _h.Database.ScalarAsync<long?>($"SELECT id FROM survey_runs WHERE survey_id = {surveyId}"), id => id is not null,
            TimeSpan.FromSeconds(30), "Quartz to open the run");
        Assert.That(await _h.Database.ScalarAsync<DateTime>($"SELECT opened_at FROM survey_runs WHERE id = {runId}"), Is.EqualTo(Start.UtcDateTime),
            "opened at the firing's instant on the scheduler's (fake) clock");

        await _seed.RunUntilAsync(Start.AddHours(20));
        foreach (var (user, _) in People)
        {
            Assert.That(await LocalSentAsync(user, "pulse"), Is.EqualTo(user.StartsWith("U0TYO", StringComparison.Ordinal) ? "Tue 10:00" : "Mon 10:00"), user);
        }

        // (The channel also got Monday's digest: Quartz's own 15-minute digest job runs on the fake clock too.)
        Assert.That(_h.Slack.Messages.Where(m => m.Version == 1 && m.PostedTo!.StartsWith('U')).Select(m => m.PostedTo), Is.EquivalentTo(People.Select(p => p.User)),
            "one DM each, to the user id");

        await AnswerAsync("U0LON1", "Strongly agree", "10");
        await AnswerAsync("U0LON2", "Agree", "9");
        await AnswerAsync("U0NYC1", "Disagree", "3");
        await AnswerAsync("U0NYC1", "Neutral", "6"); // changed: one answer per question, the latest
        await AnswerAsync("U0NYC2", "Agree", "8");
        await AnswerAsync("U0TYO1", "Strongly agree", "9");
        Assert.That(await _h.Bot.Services.GetRequiredService<AnsweredMarker>().MarkAsync(CancellationToken.None), Is.EqualTo(5));

        await _seed.RunUntilAsync(Start.AddDays(3).AddMinutes(1));
        Assert.That(_h.Slack.Messages.Where(m => m.Version == 1 && m.Channel.StartsWith('D')).GroupBy(m => m.Channel).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}"),
            Is.EqualTo(new[] { "D0TYO2×3" }), "the pulse and two reminders (to the DM channel kept from the first) to the one who did not answer; nothing more to anyone else");
        Assert.That(await _h.Database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {runId}"), Is.EqualTo(10), "five people × two questions");

        await _h.Bot.Services.GetRequiredService<RunCloser>().CloseDueAsync(_h.Clock.GetUtcNow(), CancellationToken.None);
        var results = await SayAsync("U0BOSS", "results", "EvResults");

        // Likert 5,4,3,4,5 → 4.20, 4 of 5 favourable; eNPS 10,9,6,8,9 → 3 promoters, 1 detractor of 5 = +40; 5 of 6 answered.
        Assert.That(results, Does.Contain("4.20 / 5").And.Contain("80 % favourable").And.Contain("eNPS +40").And.Contain("83.3 %"));
    }

    [Test]
    public async Task With_four_answers_the_results_show_no_score_only_the_reason()
    {
        var (surveyId, _) = await _seed.SurveyAsync(_team);
        var runId = await _seed.OpenRunAsync(surveyId);
        await _seed.RunUntilAsync(Start.AddHours(20));
        foreach (var user in new[] { "U0LON1", "U0LON2", "U0NYC1", "U0TYO1" })
        {
            await AnswerAsync(user, "Agree", "9");
        }

        await _seed.RunUntilAsync(Start.AddDays(3).AddMinutes(1));
        await _h.Bot.Services.GetRequiredService<RunCloser>().CloseDueAsync(_h.Clock.GetUtcNow(), CancellationToken.None);
        var results = await SayAsync("U0BOSS", "results", "EvResults");

        Assert.That(await _h.Database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {runId}"), Is.EqualTo(8));
        Assert.That(results, Does.Contain("Fewer than 5 people answered").And.Not.Contain("/ 5").And.Not.Contain("eNPS"));
    }

    [Test]
    public async Task An_overdue_owner_is_nudged_in_slack_and_checks_in_through_the_modal()
    {
        var ana = await _h.Database.ScalarAsync<long>("SELECT id FROM people WHERE platform_user_id = 'U0LON1'");
        var keyResult = await _seed.KeyResultAsync(_team, ana, "Activation", Start.AddDays(-20));

        // Every quarter hour from Monday 06:00, the nudge scan fired by Quartz, until the nudge has gone out.
        FakeSlackMessage? nudge = null;
        for (var at = Start; nudge is null; at = at.AddMinutes(15))
        {
            Assert.That(at, Is.LessThan(Start.AddDays(2)), "a nudge within two days");
            _h.Clock.Advance(at - _h.Clock.GetUtcNow());
            await FireAsync(new JobKey(NudgeScanJob.Name, NudgeScanJob.Group));
            await FakeClockDispatch.SendDueAsync(_h.Database, _h.Clock);
            nudge = _h.Slack.Messages.FirstOrDefault(m => m.PostedTo == "U0LON1");
        }

        var card = nudge.Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        using var click = await _clicks.ClickAsync("U0LON1", nudge, "Check in");
        using var submit = await _clicks.SubmitAsync("U0LON1", new Dictionary<string, string> { ["value"] = "35", ["confidence"] = "8" });
        await _h.IdleAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(card, Does.Contain("Sent because:").And.Contain("rule: overdue check-in").And.Contain("Step 1 of 3"), "every nudge says why");
            Assert.That(await SlackClicks.AnswerAsync(submit), Is.Null, "valid: the modal closes");
            Assert.That(await _h.Database.ScalarAsync<string>($"SELECT value::int || ' ' || confidence FROM checkins WHERE key_result_id = {keyResult}"), Is.EqualTo("35 8"));
            Assert.That(_clicks.Latest(nudge).Text, Is.EqualTo("Checked in — thanks."), "the nudge replaced in place");
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'nudge-owner' AND status = 'pending'"), Is.Zero, "no reminder left for it");
        });
    }

    [Test]
    public async Task The_weekly_digest_fired_by_quartz_is_posted_to_the_teams_channel_with_its_chart()
    {
        // Two closed pulse runs of the team (6 of 8, then 7 of 8 answering): the digest's trend chart.
        var survey = await _h.Database.ScalarAsync<long>($"INSERT INTO surveys (tenant_id, name, cadence, cadence_day) VALUES ({_seed.TenantId}, 'Alignment pulse', 'biweekly', 4) RETURNING id");
        var question = await _h.Database.ScalarAsync<long>($"INSERT INTO survey_questions (survey_id, position, kind, prompt) VALUES ({survey}, 1, 'likert5', 'I know what is expected of me.') RETURNING id");
        await _h.Database.ExecuteAsync($"INSERT INTO survey_audiences (survey_id, team_id) VALUES ({survey}, {_team})");
        await PastRunAsync(survey, question, "2027-01-04", "2027-01-07", [3, 3, 4, 3, 4, 3]);
        await PastRunAsync(survey, question, "2027-01-18", "2027-01-21", [4, 4, 5, 4, 4, 3, 4]);

        // Monday 09:00 in London (the tenant's digest time): the digest job, fired by Quartz.
        _h.Clock.Advance(TimeSpan.FromHours(3));
        await FireAsync(new JobKey(EnqueueDigestsJob.Name, EnqueueDigestsJob.Group));
        await Eventually.ValueAsync(() => _h.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind LIKE 'digest%'"), n => n > 0, TimeSpan.FromSeconds(30),
            "Quartz to enqueue the digest");
        await FakeClockDispatch.SendDueAsync(_h.Database, _h.Clock);

        var posted = _h.Slack.Messages.Single(m => m.Channel == "C0PLATFORM");
        Assert.Multiple(() =>
        {
            Assert.That(posted.PostedTo, Is.EqualTo("C0PLATFORM"), "chat.postMessage to the channel");
            Assert.That(posted.Text, Does.StartWith("Weekly digest: Platform"), "the text fallback");
            Assert.That(posted.Body.ToJsonString(), Does.Contain("Sent because: this channel gets Platform"));
            Assert.That(_h.Slack.Messages.Where(m => m.PostedTo is not null && m.PostedTo.StartsWith('U')), Is.Empty, "nothing to anyone else");
        });

        // The chart is an image block whose picture the bot itself serves; its alt text carries the numbers.
        var image = posted.Body["blocks"]!.AsArray().Single(b => (string?)b!["type"] == "image")!;
        var url = new Uri((string)image["image_url"]!);
        Assert.That(url.AbsolutePath, Does.Match("^/charts/[A-Za-z0-9_-]{43}\\.png$"));
        Assert.That((string?)image["alt_text"], Does.StartWith("Trend over the last 2 pulse runs").And.Contain("75 %").And.Contain("88 %"));
        using var png = await _h.Client.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative));
        Assert.That(png.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(png.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That((await png.Content.ReadAsByteArrayAsync())[1..4], Is.EqualTo("PNG"u8.ToArray()));
    }

    /// <summary>A closed run of the team's survey: 8 invited (made up for the count), one answer per value.</summary>
    private async Task PastRunAsync(long survey, long question, string opened, string closed, int[] answers)
    {
        var run = await _h.Database.ScalarAsync<long>($"""
            INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, closed_at, audience_size)
            VALUES ({survey}, 'closed', '{opened} 10:00Z', '{closed} 10:00Z', '{closed} 10:00Z', 8) RETURNING id
            """);
        await _h.Database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name)
            SELECT {_seed.TenantId}, 'U0INV{run}X' || i, 'Invitee' FROM generate_series(1, 8) i;
            INSERT INTO invitations (run_id, person_id, team_id, invited_at, answered)
            SELECT {run}, p.id, {_team}, '{opened} 10:00Z', false FROM people p WHERE p.platform_user_id LIKE 'U0INV{run}X%'
            """);
        foreach (var value in answers)
        {
            await _h.Database.ExecuteAsync($"""
                INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
                VALUES ({run}, {question}, decode(md5(random()::text || clock_timestamp()::text), 'hex'), {_team}, {value})
                """);
        }
    }
}
