using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AlignmentBot.Bot.Web.Tab;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web.Tab;

/// <summary>
/// Forms, links and downloads inside the tab. Teams frames the tab, and a framed page gets back only SameSite=None cookies, so the tab's
/// pages set the antiforgery cookie SameSite=None (and Secure) while the dashboard keeps it Strict; a manager sets the
/// team's focus from the tab; the tab's header, CSV downloads and the leaders' view stay inside the tab (the tab's
/// session cookie lives under /tab, and no sign-out that would leave Teams' frame).
/// </summary>
public partial class TeamsTabInsideTests
{
    private DashboardSite _site = null!;
    private SignedInClient _tab = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At), settings: TeamsTabTests.TabSettings);
        await _site.Database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'clarity' WHEN 2 THEN 'line of sight' ELSE 'recommend' END");
        _tab = new SignedInClient(_site);
        using var session = await _tab.SendAsync(new HttpRequestMessage(HttpMethod.Post, TeamsTabPaths.Session)
        {
            Content = JsonContent.Create(new { token = _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, TeamsTabTests.Audience) }),
        });
        Assert.That(session.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "Mia's tab session");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _tab.Dispose();
        await _site.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static string AntiforgeryCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

    [Test]
    public async Task The_tabs_antiforgery_cookie_comes_back_inside_Teams_frame_and_the_dashboards_stays_strict()
    {
        using var tabPage = await _tab.GetAsync($"/tab/teams/{_site.Fixture.Platform}");
        using var browser = new SignedInClient(_site);
        using var dashboardPage = await browser.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");

        Assert.That(tabPage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(AntiforgeryCookie(tabPage), Does.Contain("samesite=none").IgnoreCase.And.Contain("secure").IgnoreCase.And.Contain("httponly").IgnoreCase
            .And.Contain("partitioned").IgnoreCase);
        Assert.That(dashboardPage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(AntiforgeryCookie(dashboardPage), Does.Contain("samesite=strict").IgnoreCase.And.Not.Contain("partitioned").IgnoreCase, "outside Teams nothing changes");
    }

    [Test]
    public async Task A_manager_sets_the_teams_focus_from_the_tab()
    {
        using var page = await _tab.GetAsync($"/tab/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "focus",
            ["Driver"] = "clarity",
            ["Plan"] = "Each planning starts from the objectives.",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value),
        };

        using var post = await _tab.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/tab/teams/{_site.Fixture.Platform}") { Content = new FormUrlEncodedContent(form) });

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync()), Does.Contain("Each planning starts from the objectives."));
        Assert.That(await _site.Database.ScalarAsync<string>("SELECT driver || '|' || set_by::text FROM focus_areas"), Is.EqualTo($"clarity|{_site.Fixture.Manager}"));
    }

    [Test]
    public async Task The_tabs_header_stays_inside_the_tab()
    {
        using var page = await _tab.GetAsync($"/tab/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain("<a href=\"/tab/teams\">AlignmentBot</a>"));
        Assert.That(html, Does.Not.Contain("action=\"/signout\""), "signing out would leave Teams' frame, and Teams SSO signs the person in again");
        Assert.That(html, Does.Contain("Signed in through Teams"));
    }

    [Test]
    public async Task Csv_downloads_and_the_leaders_view_stay_inside_the_tab_and_use_its_session()
    {
        using var page = await _tab.GetAsync($"/tab/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();
        using var csv = await _tab.GetAsync($"/tab/teams/{_site.Fixture.Platform}/key-results.csv");
        using var leaders = await _tab.GetAsync("/tab/leaders");
        var leadersHtml = WebUtility.HtmlDecode(await leaders.Content.ReadAsStringAsync());
        using var rollup = await _tab.GetAsync("/tab/leaders/rollup.csv");

        Assert.That(html, Does.Contain($"href=\"/tab/teams/{_site.Fixture.Platform}/key-results.csv\"").And.Not.Contain($"href=\"/teams/{_site.Fixture.Platform}/"));
        Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(leaders.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Mia manages Platform: the leaders' view of her teams");
        Assert.That(leadersHtml, Does.Contain("action=\"/tab/leaders\"").And.Contain("href=\"/tab/leaders/rollup.csv"));
        Assert.That(rollup.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await rollup.Content.ReadAsStringAsync(), Does.Contain("Platform"));
    }
}
