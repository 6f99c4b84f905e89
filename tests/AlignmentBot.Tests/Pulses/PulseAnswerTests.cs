using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Pulses;

/// <summary>Answering a pulse in its card, through the real /api/messages endpoint.</summary>
public class PulseAnswerTests
{
    private const string Secret = "test-response-key-secret-0123456789abcdef";

    private TestDatabase _database = null!;
    private PulseSeed _seed = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private FakeBotConnector _connector = null!;
    private long _runId;
    private long[] _questions = [];
    private readonly List<long> _people = [];

    /// <summary>A Tuesday morning: the run's reminders fall on working days inside its 3-day window, whatever today is.</summary>
    private static readonly DateTimeOffset OpenedAt = new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        _seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        await _database.ExecuteAsync($"INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES ({_seed.TenantId}, 'channel', '19:general@thread.tacv2', '{_connector.ServiceUrl}')");
        var team = await _seed.TeamAsync("Platform");
        _people.Clear();
        for (var i = 0; i < 5; i++)
        {
            _people.Add(await _seed.PersonAsync(team, $"person-{i}", i == 0 ? "America/New_York" : "Europe/London"));
        }

        var dataSource = _database.CreateDataSource();
        _clock = new FakeTimeProvider(OpenedAt);
        var surveyId = await new SurveyStore(dataSource, _clock).SaveAsync(new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Alignment pulse",
            Questions =
            [
                new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity"),
                new SurveyQuestion(QuestionKinds.Enps, "How likely are you to recommend working here?", "enps"),
                new SurveyQuestion(QuestionKinds.Text, "What is unclear or blocking you right now?", "blockers", Required: false),
            ],
            Audience = [team],
        }, defaultForTeam: null, CancellationToken.None);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, _clock)).OpenAsync(surveyId, _clock.GetUtcNow(), CancellationToken.None)).RunId;
        _questions = (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {surveyId}"))!;
        // The cards are not under test here: keep the dispatcher from sending them.
        await _database.ExecuteAsync("UPDATE deliveries SET status = 'cancelled'");

        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Privacy:ResponseKeySecret"] = Secret }, _clock);
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

    /// <summary>An Action.Execute from the pulse card, as Teams sends it: the button's data plus the inputs.</summary>
    private async Task<JsonElement> PressAsync(int person, string verb, Dictionary<string, string> inputs, long? runId = null)
    {
        var data = new Dictionary<string, string>(inputs) { ["runId"] = (runId ?? _runId).ToString(CultureInfo.InvariantCulture) };
        var activity = ChatActivities.Invoke($"person-{person}", verb, data, _connector.ServiceUrl);
        using var response = await _http.PostAsJsonAsync("/api/messages", activity);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("value");
    }

    private Dictionary<string, string> Answers(string likert, string enps, string? comment = null)
    {
        var answers = new Dictionary<string, string> { [$"q{_questions[0]}"] = likert, [$"q{_questions[1]}"] = enps };
        if (comment is not null)
        {
            answers[$"q{_questions[2]}"] = comment;
        }

        return answers;
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The card's JSON with its text as people read it (no \u escapes).</summary>
    private static string Text(JsonElement card) => JsonSerializer.Serialize(card, Readable);

    private Task<long> ResponsesAsync() => _database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {_runId}");

    [Test]
    public async Task Submitting_records_the_answers_under_an_hmac_key_and_thanks_with_the_close_in_local_time()
    {
        var card = await PressAsync(0, "pulse.submit", Answers("4", "9", "More focus, please"));

        Assert.That(Text(card), Does.Contain("Thanks — recorded."));
        var closesNewYork = TimeZoneInfo.ConvertTime(
            new DateTimeOffset(DateTime.SpecifyKind((await _database.ScalarAsync<DateTime>($"SELECT closes_at FROM survey_runs WHERE id = {_runId}")), DateTimeKind.Utc)),
            TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.That(Text(card), Does.Contain(closesNewYork.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture)), "the close, in the person's own time");
        Assert.That(await ResponsesAsync(), Is.EqualTo(3));
        var expectedKey = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"run:{_runId}:person:{_people[0]}"));
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(DISTINCT respondent_key) FROM responses WHERE respondent_key = '\\x{Convert.ToHexString(expectedKey)}'::bytea"), Is.EqualTo(1));
        var answered = $"SELECT answered FROM invitations WHERE run_id = {_runId} AND person_id = {_people[0]}";
        Assert.That(await _database.ScalarAsync<bool>(answered), Is.False, "the submission writes only the answers");
        var marker = _bot.Services.GetRequiredService<AnsweredMarker>();
        Assert.That(await marker.MarkAsync(CancellationToken.None), Is.Zero, "one answer is fewer than the score threshold: not flagged alone");
        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = '{_clock.GetUtcNow():O}' WHERE id = {_runId}");
        Assert.That(await marker.MarkAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<bool>(answered), Is.True, "flagged at the close, in a batch");
    }

    [Test]
    public async Task An_answer_counts_for_its_team_only_when_the_teams_invitees_reach_the_score_threshold()
    {
        await PressAsync(1, "pulse.submit", Answers("4", "9"));
        await _database.ExecuteAsync($"DELETE FROM invitations WHERE run_id = {_runId} AND person_id = {_people[4]}");
        await PressAsync(0, "pulse.submit", Answers("2", "3"));

        Assert.That(await _database.ScalarAsync<long>($"SELECT count(DISTINCT respondent_key) FROM responses WHERE run_id = {_runId} AND team_id IS NOT NULL"), Is.EqualTo(1),
            "with 5 invitees the first answer counts for the team");
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(DISTINCT respondent_key) FROM responses WHERE run_id = {_runId} AND team_id IS NULL"), Is.EqualTo(1),
            "with 4 invitees a team's results can never be shown, so its id would only narrow down the author");
    }

    [Test]
    public async Task Submitting_again_overwrites_the_one_answer_set()
    {
        await PressAsync(1, "pulse.submit", Answers("2", "3", "first thoughts"));
        await PressAsync(1, "pulse.submit", Answers("5", "10"));

        Assert.That(await ResponsesAsync(), Is.EqualTo(2), "the comment left out the second time is gone");
        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(value_number::text, ',' ORDER BY question_id) FROM responses WHERE run_id = {_runId}"), Is.EqualTo("5,10"));
    }

    [Test]
    public async Task Edit_brings_the_card_back_with_my_own_answers()
    {
        await PressAsync(2, "pulse.submit", Answers("3", "7", "needs a roadmap"));

        var card = await PressAsync(2, "pulse.edit", []);

        Assert.That(Text(card), Does.Contain("needs a roadmap"));
        Assert.That(Text(card), Does.Contain("\"value\":\"3\""));
    }

    [TestCase("7", "9", "takes a whole number from 1 to 5")]
    [TestCase("4", "11", "from 0 to 10")]
    [TestCase("", "9", "Please answer “I know what is expected of me this quarter.”")]
    [TestCase("four", "9", "“four” is not one")]
    public async Task Out_of_range_or_missing_answers_bring_the_card_back_naming_the_problem(string likert, string enps, string problem)
    {
        var card = await PressAsync(3, "pulse.submit", Answers(likert, enps));

        Assert.That(Text(card), Does.Contain(problem));
        Assert.That(Text(card), Does.Contain("pulse.submit"), "the card comes back to be answered");
        Assert.That(await ResponsesAsync(), Is.Zero);
    }

    [Test]
    public async Task A_submission_after_close_is_refused()
    {
        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = now() WHERE id = {_runId}");

        var card = await PressAsync(4, "pulse.submit", Answers("4", "9"));

        Assert.That(Text(card), Does.Contain("is closed"));
        Assert.That(await ResponsesAsync(), Is.Zero);
    }

    [Test]
    public async Task A_forged_submission_to_someone_elses_run_is_refused()
    {
        var outsider = await _seed.PersonAsync(await _seed.TeamAsync("Elsewhere"), "outsider", null);

        var card = await PressAsync(5, "pulse.submit", Answers("1", "0"));

        Assert.That(outsider, Is.Positive);
        Assert.That(Text(card), Does.Contain("not yours to answer"));
        Assert.That(await ResponsesAsync(), Is.Zero);
    }

    [Test]
    public async Task Responses_hold_no_person_no_time_and_no_order_and_their_keys_need_the_secret()
    {
        await PressAsync(0, "pulse.submit", Answers("4", "9", "clearer goals"));
        await PressAsync(1, "pulse.submit", Answers("2", "6"));

        var responseColumns = await _database.ScalarAsync<string>(
            "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'responses'");
        var invitationColumns = await _database.ScalarAsync<string>(
            "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'invitations'");
        Assert.That(responseColumns, Is.EqualTo("run_id:bigint,question_id:bigint,respondent_key:bytea,team_id:bigint,value_number:numeric,value_text:text,shuffled:boolean"),
            "no person id, no timestamp, no sequence: nothing to line answers up with invitations");
        Assert.That(invitationColumns, Does.Not.Contain("value").And.Not.Contain("key"), "invitations say who answered, never what");

        var keys = await _database.ScalarAsync<byte[][]>($"SELECT array_agg(DISTINCT respondent_key) FROM responses WHERE run_id = {_runId}");
        Assert.That(keys, Has.Length.EqualTo(2));
        foreach (var person in _people)
        {
            // What someone reading the database could try without the secret.
            byte[][] guesses =
            [
                SHA256.HashData(Encoding.UTF8.GetBytes($"run:{_runId}:person:{person}")),
                SHA256.HashData(Encoding.UTF8.GetBytes(person.ToString(CultureInfo.InvariantCulture))),
                HMACSHA256.HashData(Array.Empty<byte>(), Encoding.UTF8.GetBytes($"run:{_runId}:person:{person}")),
            ];
            Assert.That(keys!.Any(k => guesses.Any(g => g.AsSpan().SequenceEqual(k))), Is.False);
        }
    }

    [Test]
    public async Task A_reminder_goes_to_everyone_not_yet_flagged_with_their_own_answers_and_stops_with_the_batch_that_flags_them()
    {
        await PressAsync(0, "pulse.submit", Answers("4", "9"));

        // The first reminders of an answered and an unanswered person become sendable; the clock moves to their time.
        var firstReminder = $"kind = 'pulse-reminder' AND payload->>'step' = '1' AND person_id IN ({_people[0]}, {_people[1]})";
        var due = await _database.ScalarAsync<DateTime>($"SELECT max(not_before) FROM deliveries WHERE {firstReminder}");
        await _database.ExecuteAsync($"UPDATE deliveries SET status = 'pending' WHERE {firstReminder}");
        _clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)));
        await FakeClockDispatch.SendDueAsync(_database, _clock);

        // Cancelling person 0's alone would write, next to their name, that they had answered by then.
        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(status, ',' ORDER BY person_id) FROM deliveries WHERE {firstReminder}"), Is.EqualTo("sent,sent"));
        Assert.That(_connector.Activities, Has.Count.EqualTo(2));
        var sent = _connector.Activities.Select(a => a.Json!.ToJsonString(Readable)).ToList();
        Assert.That(sent.Count(a => a.Contains("Your answers are filled in", StringComparison.Ordinal)), Is.EqualTo(1), "the one who answered sees their answers");
        Assert.That(sent.Count(a => a.Contains("you have not answered", StringComparison.Ordinal)), Is.EqualTo(1));

        // Once the batch flags them (five answered: the threshold), their pending reminders stop in that same transaction.
        await _database.ExecuteAsync($"UPDATE deliveries SET status = 'pending' WHERE kind = 'pulse-reminder' AND payload->>'step' = '2'");
        for (var i = 1; i < 5; i++)
        {
            await PressAsync(i, "pulse.submit", Answers("3", "7"));
        }

        Assert.That(await _bot.Services.GetRequiredService<AnsweredMarker>().MarkAsync(CancellationToken.None), Is.EqualTo(5));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT d.status || ' ' || (d.xmin = i.xmin)::text, ',') FROM deliveries d
            JOIN invitations i ON i.person_id = d.person_id WHERE d.kind = 'pulse-reminder' AND d.payload->>'step' = '2'
            """), Is.EqualTo("cancelled true"), "every second reminder cancelled, under the flags' transaction id");
    }

    /// <summary>A message typed in the person's 1:1 chat; returns what the bot sent back there.</summary>
    private async Task<string> SayAsync(string who, string text)
    {
        var activity = ChatActivities.Message(who, text, _connector.ServiceUrl);
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", activity);
        response.EnsureSuccessStatusCode();
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), a => a.Count > before,
            TimeSpan.FromSeconds(10), "the reply");
        return replies[^1].Json!.ToJsonString(Readable);
    }

    private async Task MakeManagerAsync(string who)
    {
        var manager = await _seed.PersonAsync(await _seed.TeamAsync($"managers-{who}"), who, "Europe/London");
        await _database.ExecuteAsync($"UPDATE teams SET manager_id = {manager} WHERE name = 'Platform'");
    }

    [Test]
    public async Task The_manager_sees_the_closed_runs_aggregates_and_nobody_else_does()
    {
        for (var i = 0; i < 5; i++)
        {
            await PressAsync(i, "pulse.submit", Answers((i % 5 + 1).ToString(CultureInfo.InvariantCulture), "9"));
        }

        await MakeManagerAsync("manager");
        Assert.That(await SayAsync("manager", "results"), Does.Contain("No pulse for your teams has closed yet"), "results only after close");

        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = now() WHERE id = {_runId}");
        var card = await SayAsync("manager", "results");
        var member = await SayAsync("person-1", "results");

        Assert.That(card, Does.Contain("Participation").And.Contain("100 %"));
        Assert.That(card, Does.Contain("3.00 / 5").And.Contain("40 % favourable"), "answers 1..5: mean 3, two of five favourable");
        Assert.That(card, Does.Contain("eNPS +100"));
        Assert.That(card, Does.Contain("\"title\":\"Strongly agree\",\"value\":\"▰▰▱▱▱▱▱▱▱▱ 1\"").And.Contain("\"title\":\"Strongly disagree\",\"value\":\"▰▰▱▱▱▱▱▱▱▱ 1\""),
            "each answer in the scale's own words, with a bar and a count");
        Assert.That(card, Does.Contain("\"title\":\"Promoters (9–10)\",\"value\":\"▰▰▰▰▰▰▰▰▰▰ 5\""));
        Assert.That(card.IndexOf("40 % favourable", StringComparison.Ordinal), Is.LessThan(card.IndexOf("Strongly agree", StringComparison.Ordinal)), "the favourable share first");
        Assert.That(card, Does.Not.Contain("×"), "not 1×1 2×1 …");
        Assert.That(card, Does.Not.Contain("person-"), "no names, ever");
        Assert.That(member, Does.Contain("for team managers and leaders"));
    }

    [Test]
    public async Task With_four_answers_the_manager_gets_only_the_reason()
    {
        for (var i = 0; i < 4; i++)
        {
            await PressAsync(i, "pulse.submit", Answers("4", "9"));
        }

        await MakeManagerAsync("manager4");
        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = now() WHERE id = {_runId}");

        var card = await SayAsync("manager4", "results");

        Assert.That(card, Does.Contain("Fewer than 5 people answered"));
        Assert.That(card, Does.Not.Contain("/ 5").And.Not.Contain("Participation"));
    }

    [Test]
    public async Task The_comment_box_says_the_surveys_own_comment_threshold_in_words()
    {
        await _database.ExecuteAsync($"UPDATE surveys SET comment_threshold = 7 WHERE id = (SELECT survey_id FROM survey_runs WHERE id = {_runId})");

        var card = await SayAsync("person-3", "pulse");

        Assert.That(card, Does.Contain("only when at least 7 people have commented."));
        Assert.That(card, Does.Not.Contain("10 or more").And.Not.Contain("at least 10"), "not the default threshold");
    }

    [Test]
    public async Task The_pulse_command_shows_my_open_pulse_with_my_answers_and_says_so_when_there_is_none()
    {
        await PressAsync(1, "pulse.submit", Answers("2", "8", "too many priorities"));

        var open = await SayAsync("person-1", "pulse");
        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = now() WHERE id = {_runId}");
        var none = await SayAsync("person-1", "pulse");

        Assert.That(open, Does.Contain("pulse.submit").And.Contain("too many priorities"));
        Assert.That(none, Does.Contain("You have no open pulse right now"));
    }
}
