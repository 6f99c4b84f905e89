using System.Net;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The console's other actions over HTTP against real PostgreSQL: runs (open, close, why one was not sent), the people
/// and OKR uploads (each failed line named), digest days and the leaders' channel, the default pulse, and the audit log.
/// </summary>
public class ConsoleActionTests
{
    private const string Actor = "signed-in admin Ada Admin <oid-admin>";

    private DashboardSite _site = null!;
    private ConsoleClient _console = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _console = new ConsoleClient(_site);
        using var signedIn = await _console.Session.SignInAsync(DashboardSite.Admin, "/console");
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the admin is in");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _console.Dispose();
        await _site.DisposeAsync();
    }

    private Task<string?> LastAuditAsync() => _site.Database.ScalarAsync<string>(
        "SELECT actor || ' | ' || action || ' | ' || coalesce(subject, '-') || ' | ' || coalesce(tenant_id::text, '-') || ' | ' || details::text FROM audit_log ORDER BY id DESC LIMIT 1");

    private Task<long> AuditRowsAsync() => _site.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");

    private Task<long> SurveyAsync() => _site.Database.ScalarAsync<long>("SELECT id FROM surveys WHERE name = 'Alignment pulse'");

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Test]
    public async Task A_run_opened_for_too_few_people_is_not_sent_and_the_runs_page_says_why()
    {
        var survey = await SurveyAsync();
        await _site.Database.ExecuteAsync($"DELETE FROM survey_audiences WHERE survey_id = {survey} AND team_id <> {_site.Fixture.Payments}");

        using var response = await _console.PostAsync($"/console/surveys/{survey}/runs", "open-run", []);
        var html = await HtmlAsync(response);
        var reason = await _site.Database.ScalarAsync<string>($"SELECT not_sent_reason FROM survey_runs WHERE survey_id = {survey} AND status = 'cancelled'");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(reason, Does.Contain("fewer than the score threshold of 5"), "the reason the opener recorded");
        Assert.That(html, Does.Contain($"Run not sent: {reason}"), "said at the top, with the API's title");
        Assert.That(html, Does.Contain($"<td>cancelled</td><td>1</td><td>{reason}</td>").Or.Contain($"<td>{reason}</td>"), "and in the run's row");
        Assert.That(await AuditRowsAsync(), Is.Zero, "a run not sent changed nothing the API would audit");
    }

    [Test]
    public async Task An_open_run_is_closed_from_its_row_and_audited()
    {
        var survey = await SurveyAsync();
        var run = await _site.Database.ScalarAsync<long>(
            $"INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, audience_size) VALUES ({survey}, 'open', '2026-11-30 08:00Z', '2026-12-03 08:00Z', 14) RETURNING id");

        using var response = await _console.PostAsync($"/console/surveys/{survey}/runs", $"close-{run}", []);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await HtmlAsync(response), Does.Contain("The run is closed."));
        Assert.That(await _site.Database.ScalarAsync<string>($"SELECT status FROM survey_runs WHERE id = {run}"), Is.EqualTo("closed"));
        Assert.That(await LastAuditAsync(), Is.EqualTo($"{Actor} | POST /admin/runs/{{id}}/close | run {run} | {_site.Fixture.TenantId} | {{\"status\": 200}}"));
    }

    [Test]
    public async Task A_people_file_with_a_bad_line_is_refused_naming_the_line_and_a_good_one_is_imported_and_audited()
    {
        var zones = await _site.Database.ScalarAsync<string>("SELECT string_agg(coalesce(time_zone, '-'), ',' ORDER BY id) FROM people");

        using var bad = await _console.PostAsync("/console/people", "people", [], ("people.csv", "person,time_zone\n29:alice,Europe/Berlin\n29:mia,Mars/Olympus\n"));
        var html = await HtmlAsync(bad);

        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.Contain("Import refused; nothing was written"));
        Assert.That(html, Does.Match("<th scope=\"row\">line 3</th><td>[^<]*\"Mars/Olympus\" is not a time zone"), "the failed line, named, and why");
        Assert.That(html, Does.Not.Contain("<th scope=\"row\">line 2</th>"));
        Assert.That(await _site.Database.ScalarAsync<string>("SELECT string_agg(coalesce(time_zone, '-'), ',' ORDER BY id) FROM people"), Is.EqualTo(zones), "all or nothing");
        Assert.That(await AuditRowsAsync(), Is.Zero);

        using var good = await _console.PostAsync("/console/people", "people", [], ("people.csv", "person,time_zone\n29:alice,Europe/Berlin\n"));

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await HtmlAsync(good), Does.Contain("Imported 1 rows: 1 people"));
        Assert.That(await _site.Database.ScalarAsync<string>("SELECT time_zone FROM people WHERE platform_user_id = '29:alice'"), Is.EqualTo("Europe/Berlin"));
        Assert.That(await LastAuditAsync(), Does.StartWith($"{Actor} | POST /admin/tenants/{{platform}}/{{tenant}}/people | - | {_site.Fixture.TenantId} | {{\"status\": 200, \"outcome\": {{\"rows\": 1, \"peopleChanged\": 1"));
    }

    [Test]
    public async Task An_okr_file_with_a_bad_line_is_refused_naming_the_line()
    {
        const string csv = "objective_key,objective,cycle,team,key_result_key,key_result,owner,start,target\n"
            + "PL-9,Ship it,2026-Q4,Platform,PL-9-KR1,Deploys weekly,29:alice,0,10\n"
            + "PL-9,Ship it,2026-Q4,Platform,PL-9-KR2,Uptime,29:nobody,0,10\n";

        using var response = await _console.PostAsync("/console/okrs", "okrs", [], ("plan.csv", csv));
        var html = await HtmlAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.Match("<th scope=\"row\">line 3</th><td>[^<]*29:nobody"));
        Assert.That(await _site.Database.ScalarAsync<long>("SELECT count(*) FROM key_results WHERE title = 'Deploys weekly'"), Is.Zero);
        Assert.That(await AuditRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task Digest_settings_show_the_apis_messages_by_field_then_save_the_day_and_leaders_channel_audited()
    {
        using var bad = await _console.PostAsync("/console/settings", "digest", [new("Digest.Day", "funday"), new("Digest.Time", "25:00")]);
        var html = await HtmlAsync(bad);

        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("id=\"problem-day\">day \"funday\" is not a day of the week like \"monday\".</span>"));
        Assert.That(html, Does.Contain("id=\"problem-time\">time \"25:00\" is not a time of day like \"09:00\".</span>"));
        Assert.That(await AuditRowsAsync(), Is.Zero);

        using var good = await _console.PostAsync("/console/settings", "digest",
            [new("Digest.Day", "thursday"), new("Digest.Time", "08:30"), new("Digest.LeadersChannel", DigestFixture.LeadersChannel)]);

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _site.Database.ScalarAsync<string>(
            $"SELECT t.digest_weekday || ' ' || to_char(t.digest_time, 'HH24:MI') || ' ' || c.conversation_id FROM tenants t JOIN conversations c ON c.id = t.leaders_conversation_id WHERE t.id = {_site.Fixture.TenantId}"),
            Is.EqualTo($"4 08:30 {DigestFixture.LeadersChannel}"));
        Assert.That(await LastAuditAsync(), Does.StartWith($"{Actor} | PUT /admin/tenants/{{platform}}/{{tenant}}/digest | - | {_site.Fixture.TenantId}"));
        var (_, page) = await _console.OpenAsync("/console/settings");
        Assert.That(page, Does.Contain("value=\"thursday\"").And.Contain("value=\"08:30\""), "the page reads back what was saved");
    }

    [Test]
    public async Task The_default_pulse_is_turned_off_and_audited()
    {
        using var response = await _console.PostAsync("/console/settings", "default-pulse", [new("DefaultPulse", "false")]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await HtmlAsync(response), Does.Contain("It is <strong>off</strong>"));
        Assert.That(await _site.Database.ScalarAsync<bool>($"SELECT (settings->>'defaultPulse')::boolean FROM tenants WHERE id = {_site.Fixture.TenantId}"), Is.False);
        Assert.That(await LastAuditAsync(), Does.StartWith($"{Actor} | PUT /admin/tenants/{{platform}}/{{tenant}}/default-pulse"));
    }

    [Test]
    public async Task The_audit_log_shows_the_tenants_entries_newest_first_a_page_at_a_time()
    {
        await _site.Database.ExecuteAsync($"""
            INSERT INTO audit_log (tenant_id, actor, action, subject, created_at)
            SELECT {_site.Fixture.TenantId}, 'global key', 'PUT /admin/surveys', 'survey ' || n, timestamptz '2026-11-01 00:00Z' + n * interval '1 hour'
            FROM generate_series(1, 60) AS n;
            INSERT INTO tenants (platform, external_id) VALUES ('teams', 'other-tenant');
            INSERT INTO audit_log (tenant_id, actor, action, subject) SELECT id, 'global key', 'PUT /admin/surveys', 'secret survey' FROM tenants WHERE external_id = 'other-tenant';
            """);

        var (status, first) = await _console.OpenAsync("/console/audit");
        var older = System.Text.RegularExpressions.Regex.Match(first, "href=\"(/console/audit\\?before=\\d+)\"").Groups[1].Value;
        var (_, second) = await _console.OpenAsync(older);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.IndexOf("survey 60<", StringComparison.Ordinal), Is.LessThan(first.IndexOf("survey 59<", StringComparison.Ordinal)), "newest first");
        Assert.That(first, Does.Contain("survey 11<").And.Not.Contain("survey 10<"), "50 to a page");
        Assert.That(second, Does.Contain("survey 10<").And.Contain("survey 1<").And.Not.Contain("survey 11<"));
        Assert.That(first + second, Does.Not.Contain("secret survey"), "another organisation's entries are not shown");
    }
}
