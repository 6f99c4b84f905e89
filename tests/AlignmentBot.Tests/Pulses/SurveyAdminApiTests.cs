using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Pulses;

/// <summary>/admin/surveys through the real host: the key, validation problems, create, replace, list, open a run.</summary>
public class SurveyAdminApiTests
{
    private const string Key = "test-admin-key-0123456789abcdef";

    private TestDatabase _database = null!;
    private PulseSeed _seed = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _team;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _seed = await new PulseSeed(_database).TenantAsync();
        _team = await _seed.TeamAsync("Platform");
        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        _http = _bot.CreateClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private object Survey(string name = "Alignment pulse", int questions = 2) => new
    {
        tenant = PulseSeed.TenantExternalId,
        name,
        questions = Enumerable.Range(1, questions).Select(i => new { kind = "likert5", prompt = $"Statement {i}", driver = "clarity" }).ToArray(),
        audience = new[] { _team },
        cadence = "biweekly",
        day = "monday",
        localTime = "10:00",
    };

    /// <summary>People in the team, a survey for it, and a run opened now through the API.</summary>
    private async Task<(long SurveyId, HttpResponseMessage Run)> SurveyWithRunAsync(int people, string zone = "Europe/London")
    {
        for (var i = 0; i < people; i++)
        {
            await _seed.PersonAsync(_team, $"p{i}", zone);
        }

        using var created = await _http.PostAsJsonAsync("/admin/surveys", Survey());
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();
        return (id, await _http.PostAsync(new Uri($"/admin/surveys/{id}/runs", UriKind.Relative), null));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Test]
    public async Task Without_the_key_or_with_a_wrong_one_the_answer_is_401()
    {
        using var anonymous = _bot.CreateClient();
        using var missing = await anonymous.GetAsync(new Uri("/admin/surveys", UriKind.Relative));
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, "/admin/surveys") { Headers = { { "X-Api-Key", Key + "x" } } };
        using var wrong = await anonymous.SendAsync(wrongRequest);

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Without_a_configured_key_the_admin_API_is_off()
    {
        await using var bot = new BotFactory(_database);
        using var http = bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/surveys") { Headers = { { "X-Api-Key", "anything" } } };
        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await JsonAsync(response)).GetProperty("detail").GetString(), Does.Contain("Admin:ApiKey"));
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var response = await _http.PostAsync(new Uri("/admin/surveys", UriKind.Relative), new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await JsonAsync(response)).GetProperty("title").GetString(), Is.EqualTo("Malformed JSON"));
    }

    [Test]
    public async Task An_invalid_survey_gets_every_problem_listed_by_field()
    {
        using var response = await _http.PostAsJsonAsync("/admin/surveys", new
        {
            tenant = PulseSeed.TenantExternalId,
            name = "",
            questions = Enumerable.Range(1, 6).Select(i => new { kind = i == 1 ? "stars" : "likert5", prompt = "x" }).ToArray(),
            audience = new[] { _team },
            cadence = "weekly",
            day = "someday",
            scoreThreshold = 2,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await JsonAsync(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name),
            Is.EquivalentTo(new[] { "name", "questions", "questions[0].kind", "day", "scoreThreshold" }));
        Assert.That(errors.GetProperty("scoreThreshold")[0].GetString(), Does.Contain("from 3"));
    }

    [Test]
    public async Task A_team_of_another_tenant_or_an_unknown_tenant_is_refused()
    {
        using var unknownTeam = await _http.PostAsJsonAsync("/admin/surveys", new { tenant = PulseSeed.TenantExternalId, name = "x", questions = new[] { new { kind = "enps", prompt = "Recommend us?" } }, audience = new[] { 999_999L } });
        using var unknownTenant = await _http.PostAsJsonAsync("/admin/surveys", new { tenant = "nobody", name = "x", questions = new[] { new { kind = "enps", prompt = "Recommend us?" } }, audience = new[] { _team } });

        Assert.That(unknownTeam.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await JsonAsync(unknownTeam)).GetProperty("errors").GetProperty("audience")[0].GetString(), Does.Contain("999999"));
        Assert.That((await JsonAsync(unknownTenant)).GetProperty("errors").GetProperty("tenant")[0].GetString(), Does.Contain("nobody"));
    }

    [Test]
    public async Task A_survey_is_created_listed_and_replaced()
    {
        using var created = await _http.PostAsJsonAsync("/admin/surveys", Survey());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/admin/surveys/{id}"));

        using var replaced = await _http.PutAsJsonAsync($"/admin/surveys/{id}", Survey("Renamed pulse", questions: 3));
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var list = await JsonAsync(await _http.GetAsync(new Uri($"/admin/surveys?tenant={PulseSeed.TenantExternalId}", UriKind.Relative)));
        Assert.That(list.GetArrayLength(), Is.EqualTo(1));
        var survey = list[0];
        Assert.That(survey.GetProperty("name").GetString(), Is.EqualTo("Renamed pulse"));
        Assert.That(survey.GetProperty("questions").GetArrayLength(), Is.EqualTo(3));
        Assert.That(survey.GetProperty("scoreThreshold").GetInt32(), Is.EqualTo(5), "defaults: scores 5");
        Assert.That(survey.GetProperty("commentThreshold").GetInt32(), Is.EqualTo(10), "comments 10");
        Assert.That(survey.GetProperty("anonymous").GetBoolean(), Is.True);
        Assert.That(survey.GetProperty("answerWindowDays").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Opening_a_run_for_a_small_audience_says_why_nothing_was_sent()
    {
        var (_, opened) = await SurveyWithRunAsync(3);
        using var run = opened;

        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await JsonAsync(run)).GetProperty("detail").GetString(), Does.Contain("3 people, fewer than the score threshold of 5"));
    }

    [Test]
    public async Task Opening_a_run_invites_the_audience()
    {
        var (_, opened) = await SurveyWithRunAsync(5, "Asia/Tokyo");
        using var run = opened;

        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await JsonAsync(run)).GetProperty("invited").GetInt32(), Is.EqualTo(5));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE kind = 'pulse'"), Is.EqualTo(5));
    }

    [Test]
    public async Task A_run_can_be_closed_once_and_an_unknown_one_is_404()
    {
        var (_, opened) = await SurveyWithRunAsync(5);
        using var run = opened;
        var runId = (await JsonAsync(run)).GetProperty("runId").GetInt64();

        using var closed = await _http.PostAsync(new Uri($"/admin/runs/{runId}/close", UriKind.Relative), null);
        using var again = await _http.PostAsync(new Uri($"/admin/runs/{runId}/close", UriKind.Relative), null);
        using var unknown = await _http.PostAsync(new Uri("/admin/runs/999999/close", UriKind.Relative), null);

        Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<string>($"SELECT status FROM survey_runs WHERE id = {runId}"), Is.EqualTo("closed"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Saving_a_survey_schedules_its_cadence_on_the_clustered_store_and_turning_it_off_removes_it()
    {
        object Weekly(bool enabled) => new
        {
            tenant = PulseSeed.TenantExternalId,
            name = "Weekly",
            questions = new[] { new { kind = "likert5", prompt = "Clear?" } },
            audience = new[] { _team },
            cadence = "weekly",
            day = "wednesday",
            enabled,
        };

        using var created = await _http.PostAsJsonAsync("/admin/surveys", Weekly(enabled: true));
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();
        var schedule = _bot.Services.GetRequiredService<PulseSchedule>();

        var next = await schedule.NextRunAsync(id, CancellationToken.None);
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var local = TimeZoneInfo.ConvertTime(next!.Value, london);
        Assert.That((local.DayOfWeek, local.TimeOfDay), Is.EqualTo((DayOfWeek.Wednesday, TimeSpan.Zero)), "00:00 on Wednesday, tenant time");
        Assert.That(next.Value - TimeProvider.System.GetUtcNow(), Is.LessThanOrEqualTo(TimeSpan.FromDays(7)));
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'pulse-open-{id}'"), Is.EqualTo(1), "stored, so every instance shares it");

        using var off = await _http.PutAsJsonAsync($"/admin/surveys/{id}", Weekly(enabled: false));
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await schedule.NextRunAsync(id, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_real_scheduler_opens_runs_on_the_cadence()
    {
        for (var i = 0; i < 5; i++)
        {
            await _seed.PersonAsync(_team, $"c{i}", "Europe/London");
        }

        // The admin API refuses a cadence more often than daily (tested below); the scheduler itself takes any cron, so it
        // is driven here straight through the store with one firing every two seconds.
        var store = _bot.Services.GetRequiredService<SurveyStore>();
        var survey = new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Every two seconds",
            Questions = [new SurveyQuestion(QuestionKinds.Likert5, "Clear?")],
            Audience = [_team],
            Cadence = Cadences.Cron,
            CronExpression = "0/2 * * * * ?",
        };
        var id = await store.SaveAsync(survey, defaultForTeam: null, CancellationToken.None);
        await _bot.Services.GetRequiredService<PulseSchedule>().ApplyAsync((await store.ListAsync(null, id, CancellationToken.None))[0], "Europe/London", CancellationToken.None);

        var runs = await Eventually.ValueAsync(() => _database.ScalarAsync<long>("SELECT count(*) FROM survey_runs WHERE status = 'open'"), n => n >= 1,
            TimeSpan.FromSeconds(30), "Quartz to open a run");
        Assert.That(runs, Is.GreaterThanOrEqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM invitations"), Is.GreaterThanOrEqualTo(5));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM survey_runs WHERE extract(millisecond FROM opened_at)::int % 1000 <> 0"), Is.Zero,
            "opened at the trigger's scheduled instant, so a repeated firing opens the same run");
    }

    [TestCase("0/2 * * * * ?")]
    [TestCase("0 0/30 * * * ?")]
    [TestCase("0 0 8,16 ? * MON-FRI")]
    [TestCase("0 0 * ? * *")]
    public async Task A_cadence_more_often_than_daily_is_refused_naming_the_field(string cron)
    {
        using var response = await _http.PostAsJsonAsync("/admin/surveys", new
        {
            tenant = PulseSeed.TenantExternalId,
            name = "Too often",
            questions = new[] { new { kind = "likert5", prompt = "Clear?" } },
            audience = new[] { _team },
            cadence = "cron",
            cronExpression = cron,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await JsonAsync(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "cronExpression" }));
        Assert.That(errors.GetProperty("cronExpression")[0].GetString(), Does.Contain("at most once a day"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM surveys"), Is.Zero);
    }

    [Test]
    public async Task A_daily_cron_cadence_is_accepted()
    {
        using var response = await _http.PostAsJsonAsync("/admin/surveys", new
        {
            tenant = PulseSeed.TenantExternalId,
            name = "Every weekday",
            questions = new[] { new { kind = "likert5", prompt = "Clear?" } },
            audience = new[] { _team },
            cadence = "cron",
            cronExpression = "0 0 8 ? * MON-FRI",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_admin_sees_each_run_and_why_one_was_not_sent()
    {
        var (id, opened) = await SurveyWithRunAsync(2);
        using var run = opened;

        var runs = await JsonAsync(await _http.GetAsync(new Uri($"/admin/surveys/{id}/runs", UriKind.Relative)));

        Assert.That(runs.GetArrayLength(), Is.EqualTo(1));
        Assert.That(runs[0].GetProperty("status").GetString(), Is.EqualTo("cancelled"));
        Assert.That(runs[0].GetProperty("notSentReason").GetString(), Does.Contain("2 people, fewer than the score threshold of 5"));
    }

    [Test]
    public async Task The_admin_turns_the_default_pulse_off_for_a_tenant()
    {
        using var off = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/default-pulse", new { enabled = false });
        using var unknown = await _http.PutAsJsonAsync("/admin/tenants/teams/nobody/default-pulse", new { enabled = false });

        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<string>("SELECT settings->>'defaultPulse' FROM tenants"), Is.EqualTo("false"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
