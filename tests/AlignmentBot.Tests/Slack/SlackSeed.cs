using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Slack;

/// <summary>A Slack workspace's rows written straight into the database (tenant, a channel team, people by U… id, key results), and surveys through the admin API.</summary>
public sealed class SlackSeed(SlackHarness h)
{
    public const string AdminKey = "slack-admin-key-0123456789abcdef";
    public const string ResponseKeySecret = "slack-response-key-secret-0123456789";

    public static Dictionary<string, string?> Settings => new() { ["Admin:ApiKey"] = AdminKey, ["Privacy:ResponseKeySecret"] = ResponseKeySecret };

    public long TenantId { get; private set; }

    public async Task<SlackSeed> TenantAsync(string timeZone = "Europe/London")
    {
        TenantId = await h.Database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id, time_zone) VALUES ('slack', '{h.Slack.TeamId}', '{timeZone}') RETURNING id");
        return this;
    }

    /// <summary>A team whose digest goes to <paramref name="channel"/>.</summary>
    public async Task<long> TeamAsync(string name, string channel)
    {
        var conversation = await h.Database.ScalarAsync<long>($"INSERT INTO conversations (tenant_id, kind, conversation_id) VALUES ({TenantId}, 'channel', '{channel}') RETURNING id");
        return await h.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name, external_id, channel_conversation_id) VALUES ({TenantId}, '{name}', '{channel}', {conversation}) RETURNING id");
    }

    public async Task<long> PersonAsync(long teamId, string userId, string timeZone)
    {
        var id = await h.Database.ScalarAsync<long>($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name, time_zone) VALUES ({TenantId}, '{userId}', '{userId}', '{timeZone}') RETURNING id
            """);
        await h.Database.ExecuteAsync($"INSERT INTO team_members (team_id, person_id) VALUES ({teamId}, {id})");
        return id;
    }

    public Task<long> KeyResultAsync(long teamId, long ownerId, string title, DateTimeOffset createdAt) => h.Database.ScalarAsync<long>($"""
        WITH o AS (INSERT INTO objectives (tenant_id, team_id, title, cycle) VALUES ({TenantId}, {teamId}, 'Make onboarding effortless', '2027-Q1') RETURNING id)
        INSERT INTO key_results (tenant_id, objective_id, title, owner_id, start_value, target_value, current_value, unit, confidence, checkin_cadence_days, created_at)
        SELECT {TenantId}, o.id, '{title}', {ownerId}, 0, 100, 10, '%', 6, 7, '{createdAt:O}' FROM o
        RETURNING id
        """);

    public HttpClient Admin()
    {
        var client = h.Bot.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>A weekly survey (Likert, 0–10, an optional comment) for the team; its id and its questions' ids in order.</summary>
    public async Task<(long SurveyId, long[] Questions)> SurveyAsync(long teamId)
    {
        using var admin = Admin();
        using var created = await admin.PostAsJsonAsync("/admin/surveys", new
        {
            platform = "slack",
            tenant = h.Slack.TeamId,
            name = "Alignment pulse",
            questions = new object[]
            {
                new { kind = "likert5", prompt = "I know what is expected of me this quarter." },
                new { kind = "enps", prompt = "How likely are you to recommend working here?" },
                new { kind = "text", prompt = "What is unclear or blocking you right now?", required = false },
            },
            audience = new[] { teamId },
            cadence = "weekly",
            day = "monday",
            localTime = "10:00",
            answerWindowDays = 3,
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var surveyId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var questions = (await h.Database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {surveyId}"))!;
        return (surveyId, questions);
    }

    /// <summary>Opens a run of the survey now (the admin API calls the opener Quartz's job calls); its id.</summary>
    public async Task<long> OpenRunAsync(long surveyId)
    {
        using var admin = Admin();
        using var run = await admin.PostAsync(new Uri($"/admin/surveys/{surveyId}/runs", UriKind.Relative), null);
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Created), await run.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetInt64();
    }

    /// <summary>Moves the fake clock to each pending delivery and lets the dispatcher send it, until none is left before <paramref name="until"/>.</summary>
    public Task RunUntilAsync(DateTimeOffset until) => FakeClockDispatch.RunUntilAsync(h.Database, h.Clock, until);

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
