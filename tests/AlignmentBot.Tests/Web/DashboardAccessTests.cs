using System.Net;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// Who sees what of a team, by chat's rules (members: the channel's digest; managers and leaders: the results too;
/// admins: their own tenant), and the privacy law on the page and in the CSV files. The numbers are the known week of
/// <see cref="DigestFixture"/>, whose digest tests work them out by hand.
/// </summary>
public class DashboardAccessTests
{
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _client = new SignedInClient(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Html)> OpenAsync(FakeEntraId.SignedInUser user, long team, string suffix = "")
    {
        using var response = await _client.SignInAsync(user, $"/teams/{team}{suffix}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_member_sees_the_member_view_key_results_and_pulse_but_not_the_results_per_question()
    {
        var (status, html) = await OpenAsync(DashboardSite.Alice, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Member view"));
        Assert.That(html, Does.Contain("ARR").And.Contain("Churn").And.Contain("Deploys"));
        Assert.That(html, Does.Contain("4.08"), "the latest run's alignment score, as the digest computes it");
        Assert.That(html, Does.Not.Contain("Answers per question"));
        Assert.That(html, Does.Not.Contain("I know what is expected of me."), "question prompts come only with the results");
    }

    [Test]
    public async Task The_manager_sees_the_manager_view_with_the_results_per_question()
    {
        var (status, html) = await OpenAsync(DashboardSite.Mia, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Manager view: You manage this team."));
        Assert.That(html, Does.Contain("Answers per question"));
        Assert.That(html, Does.Contain("I know what is expected of me."));
    }

    [Test]
    public async Task A_leader_sees_any_team_of_the_tenant_as_a_manager()
    {
        var (status, html) = await OpenAsync(DashboardSite.Lea, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Manager view: You are a leader."));
    }

    [Test]
    public async Task A_member_of_another_team_gets_a_403_page_that_says_why()
    {
        var (status, html) = await OpenAsync(DashboardSite.Pat, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("You can't see this team"));
        Assert.That(html, Does.Not.Contain("ARR"));
    }

    [Test]
    public async Task Someone_not_in_the_directory_gets_a_403_page_that_says_so()
    {
        var (status, html) = await OpenAsync(DashboardSite.Stranger, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("not in AlignmentBot&#x27;s directory").Or.Contain("not in AlignmentBot's directory"));
    }

    [Test]
    public async Task Someone_of_another_organisation_with_the_same_object_id_sees_nothing()
    {
        var (status, _) = await OpenAsync(DashboardSite.Mia with { TenantId = "0b3c1a57-0000-4000-8000-000000000001" }, _site.Fixture.Platform);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_manager_who_leaves_the_directory_loses_the_dashboard_within_the_same_session()
    {
        var (before, _) = await OpenAsync(DashboardSite.Mia, _site.Fixture.Platform);
        await _site.Database.ExecuteAsync("UPDATE people SET active = false WHERE aad_object_id = 'oid-mia'");

        using var after = await _client.GetAsync($"/teams/{_site.Fixture.Platform}");

        Assert.That(before, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the directory is read on every request, not frozen into the cookie");
    }

    [Test]
    public async Task An_admin_by_app_role_sees_every_team_of_their_own_tenant_only()
    {
        var otherTenant = await _site.Database.ScalarAsync<long>("INSERT INTO tenants (platform, external_id) VALUES ('teams', 'other-tenant') RETURNING id");
        var otherTeam = await _site.Database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({otherTenant}, 'Elsewhere') RETURNING id");

        var (own, html) = await OpenAsync(DashboardSite.Admin, _site.Fixture.Payments);
        using var other = await _client.GetAsync($"/teams/{otherTeam}");
        using var fresh = new SignedInClient(_site);
        using var withoutRole = await fresh.SignInAsync(DashboardSite.Admin with { Roles = null }, $"/teams/{_site.Fixture.Payments}");

        Assert.That(own, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("You are an admin of your organisation."));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(withoutRole.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "without the role they are not in the directory");
    }

    [Test]
    public async Task A_run_under_the_threshold_shows_n_under_5_and_not_its_numbers()
    {
        var (status, html) = await OpenAsync(DashboardSite.Lea, _site.Fixture.Payments);
        var latest = html[html.IndexOf("Latest results", StringComparison.Ordinal)..];

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("n &lt; 5"));
        Assert.That(html, Does.Contain("5.00"), "the earlier run had 5 answers: its score shows");
        Assert.That(html, Does.Not.Contain("1.00"), "4 people answered the latest run (all 1s): no score, no mean");
        Assert.That(html, Does.Not.Contain("-100"), "nor their eNPS");
        Assert.That(latest, Does.Not.Contain("<td>4</td>"), "nor how many answered");
    }

    [Test]
    public async Task The_csv_export_has_the_pages_rows_and_withholds_the_same_cells()
    {
        using var _ = await _client.SignInAsync(DashboardSite.Lea, $"/teams/{_site.Fixture.Payments}");
        using var pulses = await _client.GetAsync($"/teams/{_site.Fixture.Payments}/pulses.csv");
        using var keyResults = await _client.GetAsync($"/teams/{_site.Fixture.Platform}/key-results.csv");
        var pulseLines = (await pulses.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var krLines = (await keyResults.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(pulses.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(pulseLines, Has.Length.EqualTo(3), "a header and two runs");
        Assert.That(pulseLines[1], Does.Contain("5.00"));
        Assert.That(pulseLines[2], Does.Contain("n < 5").And.Not.Contain("1.00").And.Not.Contain(",4,"));
        Assert.That(krLines[0], Does.StartWith("key result,objective,owner"));
        Assert.That(krLines.Skip(1).Select(l => l.Split(',')[0]), Is.EquivalentTo(new[] { "ARR", "Churn", "Deploys", "Backlog items closed" }));
    }

    [Test]
    public async Task A_member_cannot_export_another_teams_tables()
    {
        using var _ = await _client.SignInAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}");

        using var csv = await _client.GetAsync($"/teams/{_site.Fixture.Payments}/pulses.csv");

        Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Not.Contain("Alignment pulse"));
    }

    [Test]
    public async Task My_teams_lists_what_each_person_may_open()
    {
        using var alice = await _client.SignInAsync(DashboardSite.Alice);
        var aliceHtml = await alice.Content.ReadAsStringAsync();

        Assert.That(aliceHtml, Does.Contain($"/teams/{_site.Fixture.Platform}").And.Not.Contain($"/teams/{_site.Fixture.Payments}\""));
    }

    [Test]
    public async Task Charts_are_labelled_images_with_their_numbers_in_a_table()
    {
        var (_, html) = await OpenAsync(DashboardSite.Mia, _site.Fixture.Platform);

        Assert.That(html, Does.Contain("role=\"img\" aria-labelledby=\"trend-title trend-desc\""));
        Assert.That(html, Does.Contain("<title id=\"trend-title\">Alignment score per pulse run</title>"));
        Assert.That(html, Does.Contain("<desc id=\"trend-desc\">2 runs with a score, from 3.40 to 4.08."));
        Assert.That(html, Does.Contain("<title id=\"progress-title\">"));
        Assert.That(html, Does.Contain("<caption>Closed pulse runs"));
        Assert.That(html, Does.Contain("<caption>Key results of Platform"));
    }
}
