using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// One database, a Teams tenant and a Slack workspace with the same-looking ids (tenant "T0SAME", a person "U0ALICE",
/// a team "Platform" in each): the directory, surveys and their runs' deliveries, digests and the admin routes of one
/// never show or reach the other. Tenants are told apart by (platform, id), as the routes name them.
/// </summary>
public class CrossPlatformIsolationTests
{
    private const string Key = "isolation-admin-key-0123456789abcdef";
    private const string Same = "T0SAME";
    private const string TeamsKey = "isolation-teams-tenant-key-0123456789";
    private const string SlackKey = "isolation-slack-workspace-key-01234567";

    private SlackHarness _harness = null!;
    private HttpClient _admin = null!;
    private long _teamsTenant;
    private long _teamsAlice;
    private long _teamsTeam;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = await SlackHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            [$"Admin:TenantKeys:{Same}"] = TeamsKey,
            [$"Admin:SlackWorkspaceKeys:{Same}"] = SlackKey,
        });
        _harness.Slack.TeamId = Same;
        _admin = _harness.Bot.CreateClient();
        _admin.DefaultRequestHeaders.Add("X-Api-Key", Key);
        _teamsTenant = await _harness.Database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id, name) VALUES ('teams', '{Same}', 'On Teams') RETURNING id");
        _teamsAlice = await _harness.Database.ScalarAsync<long>($"INSERT INTO people (tenant_id, platform_user_id, display_name) VALUES ({_teamsTenant}, 'U0ALICE', 'Alice on Teams') RETURNING id");
        _teamsTeam = await _harness.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({_teamsTenant}, 'Platform') RETURNING id");
        await _harness.Database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name) SELECT {_teamsTenant}, 'U0P' || i, 'Teams person ' || i FROM generate_series(1, 4) AS i;
            INSERT INTO team_members (team_id, person_id) SELECT {_teamsTeam}, id FROM people WHERE tenant_id = {_teamsTenant};
            INSERT INTO conversations (tenant_id, kind, conversation_id, service_url, person_id) VALUES ({_teamsTenant}, 'personal', 'D0ALICE', 'http://127.0.0.1:1/teams/', {_teamsAlice});
            """);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _admin.Dispose();
        await _harness.DisposeAsync();
    }

    private string TeamsBefore => "SELECT string_agg(x::text, ';') FROM (SELECT t::text AS x FROM tenants t WHERE platform = 'teams' UNION ALL SELECT p::text FROM people p WHERE tenant_id = "
        + _teamsTenant + " UNION ALL SELECT c::text FROM conversations c WHERE tenant_id = " + _teamsTenant + " UNION ALL SELECT tm::text FROM teams tm WHERE tenant_id = " + _teamsTenant + ") AS rows";

    /// <summary>Alice writes to the app in Slack: the workspace, her and her DM become the Slack tenant's, and she is answered in Slack.</summary>
    private async Task<long> SlackAliceAsync()
    {
        using var response = await _harness.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0ISOLATION");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _harness.IdleAsync();
        return await _harness.Database.ScalarAsync<long>("SELECT p.id FROM people p JOIN tenants t ON t.id = p.tenant_id WHERE t.platform = 'slack' AND p.platform_user_id = 'U0ALICE'");
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _admin.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Test]
    public async Task A_slack_turn_with_the_same_ids_makes_slack_rows_and_leaves_the_teams_tenant_alone()
    {
        var teamsBefore = await _harness.Database.ScalarAsync<string>(TeamsBefore);

        var slackAlice = await SlackAliceAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(slackAlice, Is.Not.EqualTo(_teamsAlice));
            Assert.That(await _harness.Database.ScalarAsync<string>(TeamsBefore), Is.EqualTo(teamsBefore), "no Teams row changed");
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT string_agg(platform, ',' ORDER BY platform) FROM tenants"), Is.EqualTo("slack,teams"));
            Assert.That(await _harness.Database.ScalarAsync<long>($"SELECT tenant_id FROM conversations WHERE person_id = {slackAlice}"),
                Is.Not.EqualTo(_teamsTenant), "her Slack DM belongs to the Slack tenant");
            Assert.That(_harness.Slack.Messages.Select(m => m.Channel), Is.EqualTo(new[] { "D0ALICE" }), "answered in Slack");
        });
    }

    [Test]
    public async Task Admin_routes_of_one_platform_list_only_its_own_people_and_teams()
    {
        var slackAlice = await SlackAliceAsync();
        await _harness.Database.ExecuteAsync($"""
            UPDATE people SET display_name = 'Alice on Slack' WHERE id = {slackAlice};
            INSERT INTO teams (tenant_id, name) SELECT tenant_id, 'Platform' FROM people WHERE id = {slackAlice};
            """);

        var teamsPeople = (await GetAsync($"/admin/tenants/teams/{Same}/people")).GetRawText();
        var slackPeople = (await GetAsync($"/admin/tenants/slack/{Same}/people")).GetRawText();
        var teamsTeams = (await GetAsync($"/admin/tenants/teams/{Same}/teams")).GetRawText();
        var slackTeams = (await GetAsync($"/admin/tenants/slack/{Same}/teams")).GetRawText();

        Assert.Multiple(() =>
        {
            Assert.That(teamsPeople, Does.Contain("Alice on Teams").And.Not.Contains("Alice on Slack"));
            Assert.That(slackPeople, Does.Contain("Alice on Slack").And.Not.Contains("Alice on Teams"));
            Assert.That(teamsTeams, Does.Contain(_teamsTeam.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(slackTeams, Does.Not.Contain($"\"id\":{_teamsTeam},"));
        });
    }

    [Test]
    public async Task A_slack_pulse_reaches_only_slack_people_and_each_platform_lists_only_its_surveys()
    {
        var slackAlice = await SlackAliceAsync();
        var slackTenant = await _harness.Database.ScalarAsync<long>($"SELECT tenant_id FROM people WHERE id = {slackAlice}");
        var slackTeam = await _harness.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({slackTenant}, 'Platform') RETURNING id");
        // Five people, the same ids as the Teams tenant's: a run needs at least the privacy threshold of people.
        await _harness.Database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name) SELECT {slackTenant}, 'U0P' || i, 'Slack person ' || i FROM generate_series(1, 4) AS i;
            INSERT INTO team_members (team_id, person_id) SELECT {slackTeam}, id FROM people WHERE tenant_id = {slackTenant};
            """);
        var slackPeople = await _harness.Database.ScalarAsync<string>($"SELECT string_agg('slack:' || id, ',' ORDER BY id) FROM people WHERE tenant_id = {slackTenant}");
        var slackSurvey = await CreateSurveyAsync("slack", "Slack pulse", slackTeam);
        var teamsSurvey = await CreateSurveyAsync("teams", "Teams pulse", _teamsTeam);

        using var refused = await _admin.PostAsJsonAsync("/admin/surveys", Survey("slack", "Crossing pulse", _teamsTeam));
        using var opened = await _admin.PostAsync(new Uri($"/admin/surveys/{slackSurvey}/runs", UriKind.Relative), null);

        var teamsListed = await GetAsync($"/admin/surveys?tenant={Same}&platform=teams");
        var slackListed = await GetAsync($"/admin/surveys?tenant={Same}&platform=slack");
        Assert.Multiple(async () =>
        {
            Assert.That((int)refused.StatusCode, Is.InRange(400, 499), "a Slack survey cannot take a Teams team as its audience");
            Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.Created), await opened.Content.ReadAsStringAsync());
            Assert.That(await _harness.Database.ScalarAsync<string>("""
                SELECT string_agg(k, ',' ORDER BY person_id) FROM (
                    SELECT DISTINCT t.platform || ':' || d.person_id AS k, d.person_id
                    FROM deliveries d JOIN tenants t ON t.id = d.tenant_id JOIN people p ON p.id = d.person_id AND p.tenant_id = d.tenant_id) AS sent
                """), Is.EqualTo(slackPeople), "the run is delivered to the Slack people only, each in their own tenant");
            Assert.That(teamsListed.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()), Is.EqualTo(new[] { teamsSurvey }));
            Assert.That(slackListed.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()), Is.EqualTo(new[] { slackSurvey }));
        });
    }

    [Test]
    public async Task A_digest_setting_for_the_slack_workspace_leaves_the_teams_tenant_alone()
    {
        await SlackAliceAsync();
        var teamsBefore = await _harness.Database.ScalarAsync<string>(TeamsBefore);

        using var saved = await _admin.PutAsJsonAsync($"/admin/tenants/slack/{Same}/digest", new { day = "friday", time = "15:00" });

        Assert.Multiple(async () =>
        {
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
            Assert.That(await _harness.Database.ScalarAsync<string>(TeamsBefore), Is.EqualTo(teamsBefore));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT digest_weekday || ' ' || digest_time FROM tenants WHERE platform = 'slack'"),
                Is.EqualTo("5 15:00:00"), "the Slack tenant's changed");
        });
    }

    [Test]
    public async Task A_tenant_key_reaches_only_its_own_platforms_tenant_with_that_id()
    {
        var (slackSurvey, slackRun) = await SlackSurveyWithRunAsync();
        var teamsSurvey = await CreateSurveyAsync("teams", "Teams pulse", _teamsTeam);
        using var teams = KeyClient(TeamsKey);
        using var slack = KeyClient(SlackKey);

        Assert.Multiple(async () =>
        {
            Assert.That(await StatusAsync(teams, $"/admin/tenants/teams/{Same}/people"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(teams, $"/admin/tenants/slack/{Same}/people"), Is.EqualTo(HttpStatusCode.Forbidden), "the Slack workspace is not the Teams tenant's");
            Assert.That(await StatusAsync(teams, $"/admin/surveys/{slackSurvey}"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(teams, $"/admin/surveys/{slackSurvey}/runs"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(teams, $"/admin/surveys/{teamsSurvey}"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(slack, $"/admin/tenants/slack/{Same}/people"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(slack, $"/admin/tenants/teams/{Same}/people"), Is.EqualTo(HttpStatusCode.Forbidden), "the Teams tenant is not the workspace's");
            Assert.That(await StatusAsync(slack, $"/admin/surveys/{teamsSurvey}"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(slack, $"/admin/surveys/{teamsSurvey}/runs"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(slack, $"/admin/surveys/{slackSurvey}"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(slack, $"/admin/surveys?tenant={Same}&platform=teams"), Is.EqualTo(HttpStatusCode.Forbidden));
            using var crossing = await teams.PostAsJsonAsync("/admin/surveys", Survey("slack", "Crossing pulse", _teamsTeam));
            Assert.That(crossing.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a Teams key cannot create a Slack workspace's survey");
            using var closed = await teams.PostAsync(new Uri($"/admin/runs/{slackRun}/close", UriKind.Relative), null);
            Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nor close its run");
            Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor LIKE 'tenant key%'"), Is.Zero, "refusals change nothing");
        });
    }

    [Test]
    public async Task Audit_rows_name_the_platforms_tenant_and_each_key_reads_only_its_own()
    {
        var slackAlice = await SlackAliceAsync();
        var slackTenant = await _harness.Database.ScalarAsync<long>($"SELECT tenant_id FROM people WHERE id = {slackAlice}");
        var slackTeam = await _harness.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({slackTenant}, 'Platform') RETURNING id");
        using var teams = KeyClient(TeamsKey);
        using var slack = KeyClient(SlackKey);

        // The survey's tenant comes from its body (platform and id), not the route: the insert must not take the Teams tenant by id alone.
        using var slackSurvey = await slack.PostAsJsonAsync("/admin/surveys", Survey("slack", "Slack pulse", slackTeam));
        using var slackDigest = await slack.PutAsJsonAsync($"/admin/tenants/slack/{Same}/digest", new { day = "friday", time = "15:00" });
        using var teamsDigest = await teams.PutAsJsonAsync($"/admin/tenants/teams/{Same}/digest", new { day = "monday", time = "09:00" });

        var teamsAudit = await ReadAsync(teams, "/admin/audit");
        var slackAudit = await ReadAsync(slack, "/admin/audit");
        Assert.Multiple(async () =>
        {
            Assert.That(slackSurvey.StatusCode, Is.EqualTo(HttpStatusCode.Created), await slackSurvey.Content.ReadAsStringAsync());
            Assert.That(slackDigest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await slackDigest.Content.ReadAsStringAsync());
            Assert.That(teamsDigest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await teamsDigest.Content.ReadAsStringAsync());
            Assert.That(await _harness.Database.ScalarAsync<string>(
                "SELECT string_agg(a.action || '=' || t.platform, ',' ORDER BY a.id) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"),
                Is.EqualTo("POST /admin/surveys=slack,PUT /admin/tenants/{platform}/{tenant}/digest=slack,PUT /admin/tenants/{platform}/{tenant}/digest=teams"));
            Assert.That(teamsAudit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("platform").GetString()), Is.EqualTo(new[] { "teams" }),
                "the Teams key sees only the Teams tenant's entry");
            Assert.That(slackAudit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("platform").GetString()), Is.EqualTo(new[] { "slack", "slack" }));
            Assert.That(await StatusAsync(teams, $"/admin/audit?tenant={Same}&platform=slack"), Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    /// <summary>A Slack survey (by the global key) for a team of five Slack people, and one run of it opened.</summary>
    private async Task<(long Survey, long Run)> SlackSurveyWithRunAsync()
    {
        var slackAlice = await SlackAliceAsync();
        var slackTenant = await _harness.Database.ScalarAsync<long>($"SELECT tenant_id FROM people WHERE id = {slackAlice}");
        var slackTeam = await _harness.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({slackTenant}, 'Platform') RETURNING id");
        await _harness.Database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name) SELECT {slackTenant}, 'U0P' || i, 'Slack person ' || i FROM generate_series(1, 4) AS i;
            INSERT INTO team_members (team_id, person_id) SELECT {slackTeam}, id FROM people WHERE tenant_id = {slackTenant};
            """);
        var survey = await CreateSurveyAsync("slack", "Slack pulse", slackTeam);
        using var opened = await _admin.PostAsync(new Uri($"/admin/surveys/{survey}/runs", UriKind.Relative), null);
        Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.Created), await opened.Content.ReadAsStringAsync());
        return (survey, await _harness.Database.ScalarAsync<long>($"SELECT id FROM survey_runs WHERE survey_id = {survey}"));
    }

    private HttpClient KeyClient(string key)
    {
        var client = _harness.Bot.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<JsonElement> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static object Survey(string platform, string name, long team) => new
    {
        platform,
        tenant = Same,
        name,
        questions = new[] { new { kind = "likert5", prompt = "Clear?", driver = "clarity" } },
        audience = new[] { team },
        cadence = "weekly",
        day = "monday",
        localTime = "10:00",
    };

    private async Task<long> CreateSurveyAsync(string platform, string name, long team)
    {
        using var created = await _admin.PostAsJsonAsync("/admin/surveys", Survey(platform, name, team));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }
}
