using System.Net;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The admin console over HTTP against real PostgreSQL: only a signed-in admin gets in, every form needs its
/// antiforgery token, the API's own validation texts show next to their fields, and each change is audited under
/// the admin's name with the API's action.
/// </summary>
public class ConsoleTests
{
    private const string Actor = "signed-in admin Ada Admin <oid-admin>";

    private DashboardSite _site = null!;
    private ConsoleClient _console = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _console = new ConsoleClient(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _console.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Html)> AsAdminAsync(string path)
    {
        using var response = await _console.Session.SignInAsync(DashboardSite.Admin, path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<long> AuditRowsAsync() => _site.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");

    private Task<string?> LastAuditAsync() => _site.Database.ScalarAsync<string>(
        "SELECT actor || ' | ' || action || ' | ' || coalesce(subject, '-') || ' | ' || coalesce(tenant_id::text, '-') || ' | ' || details::text FROM audit_log ORDER BY id DESC LIMIT 1");

    private static List<KeyValuePair<string, string>> Survey(string name, long team, string scoreThreshold = "5") =>
    [
        new("Form.Name", name), new($"Form.Audience[{team}]", "true"), new("Form.Cadence", "weekly"), new("Form.Day", "friday"),
        new("Form.LocalTime", "10:00"), new("Form.AnswerWindowDays", "3"), new("Form.MaxReminders", "1"), new("Form.Enabled", "true"),
        new("Form.Anonymous", "true"), new("Form.ScoreThreshold", scoreThreshold), new("Form.CommentThreshold", "10"),
        new("Form.Questions[0].Kind", "likert5"), new("Form.Questions[0].Prompt", "I know our goals."), new("Form.Questions[0].Required", "true"),
        new("Form.Questions[1].Kind", ""), new("Form.Questions[1].Prompt", ""),
    ];

    [Test]
    public async Task Without_a_session_the_console_sends_the_browser_to_sign_in()
    {
        using var response = await _console.Session.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/console/surveys"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.Port, Is.EqualTo(_site.Entra.BaseAddress.Port), "to Entra");
    }

    [TestCase("/console")]
    [TestCase("/console/surveys")]
    [TestCase("/console/people")]
    [TestCase("/console/audit")]
    public async Task A_manager_who_is_not_an_admin_gets_a_403_page_that_says_why(string path)
    {
        using var response = await _console.Session.SignInAsync(DashboardSite.Mia, path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("The console is for admins").And.Contain("AlignmentBot admin app role"));
        Assert.That(html, Does.Not.Contain("Alignment pulse"), "not one survey's name");
    }

    [Test]
    public async Task A_non_admin_posting_a_survey_with_a_valid_token_creates_nothing_and_audits_nothing()
    {
        await _console.Session.SignInAsync(DashboardSite.Mia, "/console");
        var surveys = await _site.Database.ScalarAsync<long>("SELECT count(*) FROM surveys");

        using var response = await _console.PostAsync("/console/surveys/new", "survey", Survey("Sneaky", _site.Fixture.Platform));

        // The refusal page has no survey form to post to: refused either way.
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest));
        Assert.That(await _site.Database.ScalarAsync<long>("SELECT count(*) FROM surveys"), Is.EqualTo(surveys));
        Assert.That(await AuditRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task An_admin_creates_a_survey_it_is_stored_scheduled_and_audited_under_their_name()
    {
        await AsAdminAsync("/console");

        using var response = await _console.PostAsync("/console/surveys/new", "survey", Survey("Friday check", _site.Fixture.Payments));

        var id = await _site.Database.ScalarAsync<long>("SELECT id FROM surveys WHERE name = 'Friday check'");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.PathAndQuery, Is.EqualTo($"/console/surveys/{id}?created=true"), "to the new survey's own page");
        Assert.That(await _site.Database.ScalarAsync<long>($"SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'pulse-open-{id}'"), Is.EqualTo(1), "scheduled, by the API's own code");
        Assert.That(await LastAuditAsync(), Does.StartWith($"{Actor} | POST /admin/surveys | survey {id} | {_site.Fixture.TenantId} | {{\"status\": 201}}"));
        var (status, html) = await _console.OpenAsync($"/console/surveys/{id}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("value=\"I know our goals.\"").And.Contain("value=\"friday\""));
        var (_, list) = await _console.OpenAsync("/console/surveys");
        Assert.That(list, Does.Contain("Friday check").And.Contain("weekly on friday at 10:00"));
    }

    [Test]
    public async Task A_survey_with_problems_shows_the_apis_own_messages_next_to_each_field_and_writes_nothing()
    {
        await AsAdminAsync("/console");
        var fields = Survey("", _site.Fixture.Platform, scoreThreshold: "2");
        fields.RemoveAll(f => f.Key.StartsWith("Form.Questions[1]", StringComparison.Ordinal));
        fields.Add(new("Form.Questions[1].Kind", "choice"));
        fields.Add(new("Form.Questions[1].Prompt", "Pick one"));
        var expected = SurveyValidation.Problems(new SurveyDefinition
        {
            Tenant = DashboardSite.TenantGuid, Name = "", Audience = [1], ScoreThreshold = 2, Cadence = "weekly", Day = "friday",
            Questions = [new SurveyQuestion("likert5", "I know our goals."), new SurveyQuestion("choice", "Pick one")],
        });

        using var response = await _console.PostAsync("/console/surveys/new", "survey", fields);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.That(expected.Keys, Is.EquivalentTo(new[] { "name", "scoreThreshold", "questions[1].choices" }), "the validator's view of this survey");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        foreach (var (field, problems) in expected)
        {
            var id = "problem-" + string.Concat(field.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
            Assert.That(html, Does.Contain($"id=\"{id}\">{field} {problems[0]}</span>"), $"{field}: the API's text, beside the field");
            Assert.That(html, Does.Contain($"aria-describedby=\"{id}\""), $"{field}: the field points to its message");
        }

        Assert.That(await _site.Database.ScalarAsync<long>("SELECT count(*) FROM surveys"), Is.EqualTo(1), "only the fixture's survey");
        Assert.That(await AuditRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_writes_nothing()
    {
        await AsAdminAsync("/console");

        using var response = await _console.PostAsync("/console/surveys/new", "survey", Survey("Forged", _site.Fixture.Platform), withToken: false);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _site.Database.ScalarAsync<long>("SELECT count(*) FROM surveys WHERE name = 'Forged'"), Is.Zero);
        Assert.That(await AuditRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task Another_organisations_survey_is_not_found_in_the_console()
    {
        await AsAdminAsync("/console");
        var other = await _site.Database.ScalarAsync<long>("INSERT INTO tenants (external_id, platform) VALUES ('other-tenant', 'teams') RETURNING id");
        var theirs = await _site.Database.ScalarAsync<long>($"INSERT INTO surveys (tenant_id, name, cadence, cadence_day) VALUES ({other}, 'Their pulse', 'weekly', 1) RETURNING id");

        var (status, html) = await _console.OpenAsync($"/console/surveys/{theirs}");
        using var open = await _console.PostAsync($"/console/surveys/{theirs}/runs", "open-run", []);

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(html, Does.Contain("<h1>Not found</h1>").And.Not.Contain("Their pulse"), "the router's not-found page, not an empty body");
        Assert.That(open.StatusCode, Is.AnyOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest), "the page offers no form for it");
        Assert.That(await _site.Database.ScalarAsync<long>($"SELECT count(*) FROM survey_runs WHERE survey_id = {theirs}"), Is.Zero);
    }
}
