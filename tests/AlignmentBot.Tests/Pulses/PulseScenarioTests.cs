using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Pulses;

/// <summary>
/// A whole pulse run through the real endpoints, the real outbox dispatcher and the fake Teams connector, on a fake
/// clock: cards at 10:00 in each person's own zone, answers in the card, one reminder to the one who did not answer,
/// close, results.
/// </summary>
public class PulseScenarioTests
{
    private const string Key = "scenario-admin-key-0123456789abcdef";

    // Monday 1 February 2027, 06:00 UTC (the real-time "close due runs" job must never reach it).
    private static readonly DateTimeOffset Start = new(2027, 2, 1, 6, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Zone)[] People =
        [("lon-1", "Europe/London"), ("lon-2", "Europe/London"), ("nyc-1", "America/New_York"), ("nyc-2", "America/New_York"), ("tyo-1", "Asia/Tokyo"), ("tyo-2", "Asia/Tokyo")];

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private PulseSeed _seed = null!;
    private long _team;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(Start);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        await _database.ExecuteAsync($"INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES ({_seed.TenantId}, 'channel', '19:general@thread.tacv2', '{_connector.ServiceUrl}')");
        _team = await _seed.TeamAsync("Platform");
        foreach (var (name, zone) in People)
        {
            await _seed.PersonAsync(_team, name, zone);
        }

        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            ["Privacy:ResponseKeySecret"] = "scenario-response-key-secret-0123456789",
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

    /// <summary>Moves the fake clock to <paramref name="until"/>: jumps to each due delivery, then steps while the dispatcher works.</summary>
    private async Task RunUntilAsync(DateTimeOffset until)
    {
        while (true)
        {
            await FakeClockDispatch.SendDueAsync(_database, _clock);
            var now = _clock.GetUtcNow();
            if (now >= until)
            {
                return;
            }

            var next = await _database.ScalarAsync<DateTime?>("SELECT min(not_before) FROM deliveries WHERE status = 'pending'");
            var target = next is { } due && new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) < until
                ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc))
                : until;
            _clock.Advance(target > now ? target - now : TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }
    }

    private async Task<string> LocalSentAsync(string person, string kind)
    {
        var sent = await _database.ScalarAsync<DateTime?>(
            $"SELECT d.sent_at FROM deliveries d JOIN people p ON p.id = d.person_id WHERE p.display_name = '{person}' AND d.kind = '{kind}' AND d.status = 'sent'");
        if (sent is not { } at)
        {
            return "not sent";
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(People.Single(p => p.Name == person).Zone);
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture);
    }

    private async Task AnswerAsync(string who, long runId, long[] questions, string likert, string enps)
    {
        var data = new Dictionary<string, string> { ["runId"] = runId.ToString(CultureInfo.InvariantCulture), [$"q{questions[0]}"] = likert, [$"q{questions[1]}"] = enps };
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Invoke(who, "pulse.submit", data, _connector.ServiceUrl));
        Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetRawText(), Does.Contain("Thanks"), who);
    }

    private async Task<(long RunId, long[] Questions)> OpenRunAsync()
    {
        using var created = await _http.PostAsJsonAsync("/admin/surveys", new
        {
            tenant = PulseSeed.TenantExternalId,
            name = "Alignment pulse",
            questions = new[]
            {
                new { kind = "likert5", prompt = "I know what is expected of me this quarter." },
                new { kind = "enps", prompt = "How likely are you to recommend working here?" },
            },
            audience = new[] { _team },
            cadence = "weekly",
            day = "monday",
            localTime = "10:00",
            answerWindowDays = 3,
        });
        var surveyId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using var run = await _http.PostAsync(new Uri($"/admin/surveys/{surveyId}/runs", UriKind.Relative), null);
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var runId = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetInt64();
        var questions = (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {surveyId}"))!;
        return (runId, questions);
    }

    private async Task<string> ManagerResultsAsync()
    {
        var manager = await _seed.PersonAsync(await _seed.TeamAsync("Leads"), "boss", "Europe/London");
        await _database.ExecuteAsync($"UPDATE teams SET manager_id = {manager} WHERE id = {_team}");
        var before = _connector.ActivitiesIn("a:chat-boss").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message("boss", "results", _connector.ServiceUrl));
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn("a:chat-boss")), r => r.Count > before, TimeSpan.FromSeconds(10), "the results");
        return replies[^1].Json!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Test]
    public async Task Six_people_in_three_zones_answer_in_the_card_the_one_who_does_not_is_reminded_and_results_follow_the_close()
    {
        var (runId, questions) = await OpenRunAsync();

        // Cards: 10:00 local for everyone (London Mon 10:00 = 10:00 UTC, New York 15:00 UTC, Tokyo Tue 01:00 UTC).
        await RunUntilAsync(Start.AddHours(20));
        foreach (var (name, _) in People)
        {
            var expected = name.StartsWith("tyo", StringComparison.Ordinal) ? "Tue 10:00" : "Mon 10:00";
            Assert.That(await LocalSentAsync(name, "pulse"), Is.EqualTo(expected), name);
        }

        // Five answer (one of them twice: one response set, the latest); tyo-2 does not.
        await AnswerAsync("lon-1", runId, questions, "5", "10");
        await AnswerAsync("lon-2", runId, questions, "4", "9");
        await AnswerAsync("nyc-1", runId, questions, "2", "3");
        await AnswerAsync("nyc-1", runId, questions, "3", "6");
        await AnswerAsync("nyc-2", runId, questions, "4", "8");
        await AnswerAsync("tyo-1", runId, questions, "5", "9");

        // The batch that flags them (five: the score threshold) runs within ten minutes; this clock jumps straight to the
        // next reminder, so it runs here. Reminders follow the flags, never an answer on its own.
        Assert.That(await _bot.Services.GetRequiredService<AnsweredMarker>().MarkAsync(CancellationToken.None), Is.EqualTo(5));

        // Through the window to the close (Thu 06:00 UTC): reminders fall due, only tyo-2's goes out.
        var closesAt = Start.AddDays(3);
        await RunUntilAsync(closesAt.AddMinutes(1));
        var reminded = await _database.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT p.display_name, ',') FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.kind = 'pulse-reminder' AND d.status = 'sent'
            """);
        Assert.That(reminded, Is.EqualTo("tyo-2"), "respondents are never reminded");
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(to_char(d.sent_at AT TIME ZONE 'Asia/Tokyo', 'Dy HH24:MI'), ',' ORDER BY d.sent_at) FROM deliveries d JOIN people p ON p.id = d.person_id
            WHERE d.kind = 'pulse-reminder' AND d.status = 'sent'
            """), Is.EqualTo("Wed 10:00,Thu 10:00"), "in their working time, before the close (Thu 15:00 in Tokyo)");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = 'pulse-reminder' AND d.status = 'sent'"),
            Is.LessThanOrEqualTo(2), "at most two reminders");
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {runId}"), Is.EqualTo(10), "five people x two questions");

        await _bot.Services.GetRequiredService<RunCloser>().CloseDueAsync(_clock.GetUtcNow(), CancellationToken.None);
        var results = await ManagerResultsAsync();

        // Likert 5,4,3,4,5 → 4.20, 4 of 5 favourable; eNPS 10,9,6,8,9 → 3 promoters, 1 detractor of 5 = +40.
        Assert.That(results, Does.Contain("4.20 / 5").And.Contain("80 % favourable").And.Contain("eNPS +40"));
        Assert.That(results, Does.Contain("83.3 %"), "participation: 5 of 6");
    }

    [Test]
    public async Task With_four_answers_results_show_nothing_but_the_reason()
    {
        var (runId, questions) = await OpenRunAsync();
        await RunUntilAsync(Start.AddHours(20));
        foreach (var who in new[] { "lon-1", "lon-2", "nyc-1", "tyo-1" })
        {
            await AnswerAsync(who, runId, questions, "4", "9");
        }

        await RunUntilAsync(Start.AddDays(3).AddMinutes(1));
        await _bot.Services.GetRequiredService<RunCloser>().CloseDueAsync(_clock.GetUtcNow(), CancellationToken.None);
        var results = await ManagerResultsAsync();

        Assert.That(results, Does.Contain("Fewer than 5 people answered"));
        Assert.That(results, Does.Not.Contain("/ 5").And.Not.Contain("favourable"));
    }
}
