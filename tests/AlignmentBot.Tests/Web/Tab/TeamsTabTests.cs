using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AlignmentBot.Bot.Web;
using AlignmentBot.Bot.Web.Tab;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Web.Tab;

/// <summary>The dashboard as a Teams tab, through the real host: the tab pages' CSP, the SSO token exchange, the tab's session.</summary>
public class TeamsTabTests
{
    public const string Host = "bot.example.test";
    public static readonly string Audience = TeamsTabOptions.ApplicationIdUri(Host, DashboardSite.ClientId);

    public static readonly Dictionary<string, string?> TabSettings = new()
    {
        ["Dashboard:Tab:Enabled"] = "true",
        ["Dashboard:Tab:Host"] = Host,
    };

    private DashboardSite _site = null!;
    private SignedInClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At), settings: TabSettings);
        _client = new SignedInClient(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    private static string[] FrameAncestors(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries)
            .Single(d => d.StartsWith("frame-ancestors ", StringComparison.Ordinal)).Split(' ')[1..];

    private async Task<HttpResponseMessage> StartSessionAsync(string token) =>
        await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, TeamsTabPaths.Session) { Content = JsonContent.Create(new { token }) });

    [Test]
    public async Task Tab_pages_may_be_framed_by_exactly_Teams_and_Microsoft_365_and_other_pages_by_the_bot_alone()
    {
        using var tab = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/tab/open?to=/tab/teams"));
        using var configure = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, TeamsTabPaths.Configure));
        using var page = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/signed-out"));

        Assert.That(tab.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(FrameAncestors(tab), Is.EquivalentTo(new[]
        {
            "https://*.cloud.microsoft", "https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://*.microsoft365.com", "https://*.office.com",
            "https://outlook.office.com", "https://outlook.office365.com", "https://outlook-sdf.office.com", "https://outlook-sdf.office365.com",
        }), "the hosts Microsoft's tab requirements list, nothing else (not even the bot)");
        Assert.That(FrameAncestors(configure), Is.EquivalentTo(FrameAncestors(tab)));
        Assert.That(tab.Headers.Contains("X-Frame-Options"), Is.False, "SAMEORIGIN would keep Teams out");
        Assert.That(tab.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self';"), "our scripts only, nothing inline");
        Assert.That(FrameAncestors(page), Is.EqualTo(new[] { "'self'" }), "a dashboard page outside the tab is framed by nobody else");
        Assert.That(page.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("SAMEORIGIN"));
    }

    [Test]
    public async Task The_tab_loads_microsofts_teams_js_from_the_bot_itself()
    {
        using var html = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/tab/open?to=/tab/teams"));
        using var library = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, TeamsTabPaths.TeamsJsScript));
        using var script = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, TeamsTabPaths.Script));
        var page = await html.Content.ReadAsStringAsync();

        Assert.That(page, Does.Contain($"<script src=\"{TeamsTabPaths.TeamsJsScript}\"").And.Contain($"<script src=\"{TeamsTabPaths.Script}\""));
        Assert.That(page, Does.Not.Contain("<script>"), "no inline script (the CSP would refuse it)");
        Assert.That(library.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(library.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await library.Content.ReadAsStringAsync(), Does.Contain("getAuthToken").And.Contain("2.58.0"), "@microsoft/teams-js 2.x, as npm installed it");
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("microsoftTeams.authentication.getAuthToken()"));
    }

    [Test]
    public async Task A_Teams_SSO_token_signed_by_Entra_opens_that_persons_dashboard_in_the_tab()
    {
        using var session = await StartSessionAsync(_site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, Audience));
        var cookie = session.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AlignmentBot.Tab=", StringComparison.Ordinal));
        using var page = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/tab/teams/{_site.Fixture.Platform}"));
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(session.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(cookie, Does.Contain("samesite=none").IgnoreCase.And.Contain("secure").IgnoreCase.And.Contain("httponly").IgnoreCase.And.Contain("partitioned").IgnoreCase,
            "Teams frames the tab, so only a SameSite=None (hence Secure) cookie comes along");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<h1>Platform</h1>").And.Contain("Manager view"), "Mia manages Platform: tid + oid found her in the directory");
        Assert.That(FrameAncestors(page), Does.Contain("https://teams.microsoft.com"));
    }

    [Test]
    public async Task The_tab_shows_a_member_only_their_own_teams()
    {
        using var session = await StartSessionAsync(_site.Entra.IssueTeamsSsoToken(DashboardSite.Pat, Audience));
        using var other = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/tab/teams/{_site.Fixture.Platform}"));
        using var list = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, TeamsTabPaths.TeamsList));
        using var mine = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/tab/teams"));

        Assert.That(session.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Contain("Payments").And.Not.Contain("Platform"));
        Assert.That(await mine.Content.ReadAsStringAsync(), Does.Contain($"href=\"/tab/teams/{_site.Fixture.Payments}\""), "links stay inside the tab");
    }

    [TestCase("another audience")]
    [TestCase("expired")]
    [TestCase("unknown key")]
    [TestCase("no user scope")]
    public async Task A_bad_Teams_SSO_token_is_refused_with_401_and_no_session(string what)
    {
        var token = what switch
        {
            "another audience" => _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, TeamsTabOptions.ApplicationIdUri("other.example.test", DashboardSite.ClientId)),
            "expired" => _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, Audience, lifetime: TimeSpan.FromMinutes(-10)),
            "unknown key" => _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, Audience, signWith: new RsaSecurityKey(RSA.Create(2048)) { KeyId = _site.Entra.SigningKey.KeyId }),
            _ => _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, Audience, scope: ""),
        };

        using var response = await StartSessionAsync(token);
        using var page = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/tab/teams/{_site.Fixture.Platform}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_client.Cookies.Keys, Has.None.EqualTo(".AlignmentBot.Tab"));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "still no session");
    }

    [Test]
    public async Task Malformed_JSON_is_400_and_a_form_post_is_415()
    {
        using var malformed = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, TeamsTabPaths.Session)
        {
            Content = new StringContent("{\"token\": ", System.Text.Encoding.UTF8, "application/json"),
        });
        using var form = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, TeamsTabPaths.Session)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = _site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, Audience) }),
        });

        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), "another site's form cannot start a session");
        Assert.That(_client.Cookies.Keys, Has.None.EqualTo(".AlignmentBot.Tab"));
    }

    [Test]
    public async Task A_tab_page_without_a_session_goes_to_the_SSO_page_not_to_Entra()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/tab/teams/{_site.Fixture.Platform}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Does.EndWith($"/tab/open?to=%2Ftab%2Fteams%2F{_site.Fixture.Platform}"),
            "Entra's sign-in page refuses to be framed, so the tab signs in with Teams SSO");
    }

    [Test]
    public void Turned_on_without_a_host_it_names_the_missing_setting()
    {
        var dashboard = Options.Create(new DashboardOptions { Enabled = true, ClientId = DashboardSite.ClientId });
        var failing = new TeamsTabOptionsValidator(dashboard).Validate(null, new TeamsTabOptions { Enabled = true });
        var passing = new TeamsTabOptionsValidator(dashboard).Validate(null, new TeamsTabOptions { Enabled = true, Host = Host });

        Assert.That(failing.Failures, Has.Some.StartsWith("Dashboard:Tab:Host is not set"));
        Assert.That(passing.Succeeded, Is.True, string.Join(" ", passing.Failures ?? []));
    }
}
