using System.Net;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The leaders' view (<c>/leaders</c>) by role — a leader and an admin see every team, a manager only theirs, a member
/// nothing — and what it shows: the chat roll-up's risk flags, and the teams × drivers heatmap with "n &lt; 5" where
/// too few answered. The numbers are <see cref="DigestFixture"/>'s latest run, with two drivers named here.
/// </summary>
public class DashboardLeadersTests
{
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _client = new SignedInClient(_site);
        await _site.Database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'Clarity' WHEN 2 THEN 'Line of sight' ELSE '' END");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(FakeEntraId.SignedInUser user, string path)
    {
        using var response = await _client.SignInAsync(user, path);
        // Blazor writes “→” and the like as character references: the assertions read the text.
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task A_leader_sees_every_teams_roll_up_with_its_risk_flags_and_rules()
    {
        var (status, html) = await GetAsync(DashboardSite.Lea, "/leaders");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("You are a leader: you see every team."));
        Assert.That(html, Does.Contain(">Platform</a>").And.Contain(">Sales</a>").And.Contain(">Payments</a>"));
        // Sales: 5 of 10 answered (under 60 %) and 4.20 → 3.60, the two flags the chat roll-up raises.
        Assert.That(html, Does.Contain("Participation under 60 %").And.Contain("Alignment score down 0.5 or more against the previous run"));
        Assert.That(html, Does.Contain("4.20 → 3.60"));
        Assert.That(html, Does.Contain("3 teams</strong>, <strong>2 with risk flags"));
    }

    [Test]
    public async Task The_heatmap_shows_each_teams_driver_means_and_n_under_5_where_too_few_answered()
    {
        var (_, html) = await GetAsync(DashboardSite.Lea, "/leaders");
        var table = html[html.IndexOf("mean (1–5) and share favourable per driver", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];

        // Platform, 6 answers: Clarity (5+4+4+4+5+3)/6 = 4.17, Line of sight 24/6 = 4.00; Sales, 5 answers: 3.60 and 3.60.
        Assert.That(table, Does.Contain("<th scope=\"col\">Clarity</th>").And.Contain("<th scope=\"col\">Line of sight</th>"));
        Assert.That(Row(table, "Platform"), Does.Contain("4.17").And.Contain("4.00"));
        Assert.That(Row(table, "Sales"), Does.Contain("3.60"));
        Assert.That(Row(table, "Payments"), Does.Contain("n < 5").And.Not.Contain("1.00"), "4 answered: the reason, never a number");
        Assert.That(html, Does.Contain("<svg class=\"chart heatmap\""), "the heatmap is drawn, and its table follows");
    }

    [Test]
    public async Task A_manager_sees_only_the_teams_they_manage_even_when_the_filter_names_another()
    {
        var (status, html) = await GetAsync(DashboardSite.Mia, $"/leaders?team={_site.Fixture.Sales}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("You manage 1 team: you see those only."));
        Assert.That(html, Does.Contain(">Platform</a>").And.Contain("4.17"));
        Assert.That(html, Does.Not.Contain(">Sales</a>").And.Not.Contain(">Payments</a>").And.Not.Contain("3.60"));
    }

    [Test]
    public async Task A_member_never_sees_the_leaders_view_nor_its_csv()
    {
        var (page, html) = await GetAsync(DashboardSite.Alice, "/leaders");
        var (csv, text) = await GetAsync(DashboardSite.Alice, "/leaders/heatmap.csv");

        Assert.That(page, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("You can't see the leaders' view").And.Not.Contain("4.17"));
        Assert.That(csv, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(text, Does.Not.Contain("4.17"));
    }

    [Test]
    public async Task An_admin_of_the_organisation_sees_every_team()
    {
        var (status, html) = await GetAsync(DashboardSite.Admin, "/leaders");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("You are an admin of your organisation."));
        Assert.That(html, Does.Contain(">Sales</a>").And.Contain(">Payments</a>"));
    }

    [Test]
    public async Task The_roll_up_and_heatmap_download_as_csv_with_the_same_cells_withheld()
    {
        var (status, heatmap) = await GetAsync(DashboardSite.Lea, "/leaders/heatmap.csv");
        var (_, rollup) = await GetAsync(DashboardSite.Lea, "/leaders/rollup.csv");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(heatmap, Does.StartWith("survey,closed,group,participation,Clarity mean,Clarity favourable,Line of sight mean,Line of sight favourable\r\n"));
        Assert.That(heatmap, Does.Contain("Alignment pulse,2026-11-26,Platform,75 %,4.17,"));
        Assert.That(heatmap, Does.Contain("Alignment pulse,2026-11-26,Payments,n < 5,n < 5,n < 5,n < 5,n < 5\r\n"));
        Assert.That(rollup, Does.Contain("Sales,").And.Contain("Participation under 60 %"));
        Assert.That(rollup, Does.Contain("Payments,").And.Contain("n < 5").And.Not.Contain("1.00"));
    }

    [Test]
    public async Task The_threshold_is_the_surveys_own_and_the_cell_names_it()
    {
        await _site.Database.ExecuteAsync("UPDATE surveys SET score_threshold = 6");

        var (_, csv) = await GetAsync(DashboardSite.Lea, "/leaders/heatmap.csv");

        Assert.That(csv, Does.Contain(",Sales,n < 6,n < 6,"), "5 answered, the survey asks for 6");
        Assert.That(csv, Does.Contain(",Platform,75 %,4.17,"), "6 answered");
    }

    [Test]
    public async Task Comments_never_reach_the_leaders_view_even_above_the_comment_threshold()
    {
        await _site.Database.ExecuteAsync($"""
            UPDATE surveys SET comment_threshold = 3;
            WITH q AS (INSERT INTO survey_questions (survey_id, position, kind, prompt, driver) SELECT id, 4, 'text', 'Anything else?', 'Clarity' FROM surveys RETURNING id),
                 latest AS (SELECT id FROM survey_runs ORDER BY closed_at DESC LIMIT 1)
            INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_text)
            SELECT (SELECT id FROM latest), (SELECT id FROM q), k.respondent_key, {_site.Fixture.Platform}, 'comment number ' || row_number() OVER ()
            FROM (SELECT DISTINCT respondent_key FROM responses WHERE run_id = (SELECT id FROM latest) AND team_id = {_site.Fixture.Platform}) k
            """);

        var (_, page) = await GetAsync(DashboardSite.Lea, "/leaders");
        var (_, heatmap) = await GetAsync(DashboardSite.Lea, "/leaders/heatmap.csv");
        var (_, rollup) = await GetAsync(DashboardSite.Lea, "/leaders/rollup.csv");

        Assert.That(page + heatmap + rollup, Does.Not.Contain("comment number"));
        Assert.That(heatmap, Does.Contain(",Platform,75 %,4.17,"), "a text question under a driver leaves its mean as it was");
    }

    [Test]
    public async Task A_filter_that_is_not_a_number_is_ignored_on_the_page_and_refused_by_the_csv()
    {
        var (page, html) = await GetAsync(DashboardSite.Lea, "/leaders?team=abc&run=1%3B%20DROP");
        var (csv, _) = await GetAsync(DashboardSite.Lea, "/leaders/heatmap.csv?team=abc");

        Assert.That(page, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain(">Payments</a>"), "the whole view");
        Assert.That(csv, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static string Row(string table, string group)
    {
        var start = table.IndexOf($">{group}</a></th>", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), $"a row for {group}");
        var row = table[start..];
        return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
    }
}
