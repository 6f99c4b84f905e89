using System.Net;
using System.Web;
using AlignmentBot.Bot.Web.SignIn;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Slack.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// Sign in with Slack beside Entra, through the real host and the fake Slack OpenID provider: a Slack workspace
/// (T0GROWTH) with sam in Growth, and a Teams tenant that happens to carry the same ids (a twin of sam in "Teams twin").
/// </summary>
public class SlackSignInTests
{
    public const string SlackClientId = "2141029472.691202649728";
    public const string SlackClientSecret = "slack-signin-secret";
    public static readonly FakeSlackOpenId.SlackUser Sam = new("T0GROWTH", "U0SAM", "Sam");

    /// <summary>Growth Co's admin, named in Dashboard:Admins (Slack has no app role).</summary>
    public static readonly FakeSlackOpenId.SlackUser Ada = new("T0GROWTH", "U0ADA", "Ada");

    private FakeSlackOpenId _slack = null!;
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;
    private HttpClient _slackBrowser = null!;
    private long _growth;
    private long _twin;

    public static Dictionary<string, string?> SlackSettings(FakeSlackOpenId slack) => new()
    {
        ["Dashboard:Slack:Enabled"] = "true",
        ["Dashboard:Slack:Authority"] = slack.Issuer,
        ["Dashboard:Slack:ClientId"] = SlackClientId,
        ["Dashboard:Slack:ClientSecret"] = SlackClientSecret,
        ["Dashboard:Admins:0"] = SlackPeople.AdminEntry(Ada.TeamId, Ada.UserId),
    };

    /// <summary>sam's workspace and team; the Teams tenant with the same ids; returns (Growth, Teams twin).</summary>
    public static async Task<(long Growth, long Twin)> SeedAsync(DashboardSite site)
    {
        var growth = await site.Database.ScalarAsync<long>("""
            WITH x AS (INSERT INTO tenants (platform, external_id, name) VALUES ('slack', 'T0GROWTH', 'Growth Co') RETURNING id),
                 p AS (INSERT INTO people (tenant_id, platform_user_id, display_name) SELECT id, 'U0SAM', 'Sam' FROM x RETURNING id, tenant_id),
                 t AS (INSERT INTO teams (tenant_id, external_id, name) SELECT id, 'C0GROWTH', 'Growth' FROM x RETURNING id),
                 m AS (INSERT INTO team_members (team_id, person_id) SELECT t.id, p.id FROM t, p)
            SELECT id FROM t
            """);
        var twin = await site.Database.ScalarAsync<long>("""
            WITH x AS (INSERT INTO tenants (platform, external_id, name) VALUES ('teams', 'T0GROWTH', 'Twin') RETURNING id),
                 p AS (INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name) SELECT id, 'U0SAM', 'U0SAM', 'Sam twin' FROM x RETURNING id),
                 t AS (INSERT INTO teams (tenant_id, external_id, name) SELECT id, 'C0GROWTH', 'Teams twin' FROM x RETURNING id),
                 m AS (INSERT INTO team_members (team_id, person_id) SELECT t.id, p.id FROM t, p)
            SELECT id FROM t
            """);
        return (growth, twin);
    }

    [SetUp]
    public async Task StartAsync()
    {
        var clock = new FakeTimeProvider(DigestFixture.At);
        _slack = await FakeSlackOpenId.StartAsync(SlackClientId, SlackClientSecret);
        _slack.Clock = clock;
        _site = await DashboardSite.StartAsync(clock, settings: SlackSettings(_slack));
        _client = new SignedInClient(_site);
        _slackBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (_growth, _twin) = await SeedAsync(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        _slackBrowser.Dispose();
        await _site.DisposeAsync();
        await _slack.DisposeAsync();
    }

    /// <summary>GET on the bot, following redirects through the fake Slack and back.</summary>
    private async Task<HttpResponseMessage> BrowseAsync(string path)
    {
        var next = new Uri(path, UriKind.Relative);
        for (var hop = 0; hop < 8; hop++)
        {
            var response = next.IsAbsoluteUri && next.Port == _slack.BaseAddress.Port
                ? await _slackBrowser.GetAsync(next)
                : await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, next.IsAbsoluteUri ? next.PathAndQuery : next.ToString()));
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is null)
            {
                return response;
            }

            next = response.Headers.Location;
            response.Dispose();
        }

        throw new InvalidOperationException($"More than 8 redirects from {path}.");
    }

    private Task<HttpResponseMessage> SignInWithSlackAsync(long team) =>
        BrowseAsync($"/signin/slack?returnUrl={Uri.EscapeDataString($"/teams/{team}")}");

    [Test]
    public async Task Without_a_session_the_sign_in_page_offers_microsoft_and_slack()
    {
        using var page = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_growth}"));
        var signIn = page.Headers.Location!;
        using var choice = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, signIn.PathAndQuery));
        var html = await choice.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(signIn.AbsolutePath, Is.EqualTo(SignInPage.Path));
        Assert.That(html, Does.Contain("Sign in with Microsoft").And.Contain("Sign in with Slack"));
        Assert.That(html, Does.Contain($"/signin/slack?returnUrl=%2Fteams%2F{_growth}"));
    }

    [Test]
    public async Task Slack_is_asked_for_an_openid_code_with_a_nonce()
    {
        using var challenge = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/signin/slack?returnUrl=%2Fteams%2F{_growth}"));
        var location = challenge.Headers.Location!;
        var query = HttpUtility.ParseQueryString(location.Query);

        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo($"{_slack.Issuer}/openid/connect/authorize"));
        Assert.That(query["client_id"], Is.EqualTo(SlackClientId));
        Assert.That(query["scope"]!.Split(' '), Is.EquivalentTo(new[] { "openid", "profile" }));
        Assert.That(query["redirect_uri"], Is.EqualTo("http://localhost/signin-slack"));
        Assert.That(query["nonce"], Is.Not.Empty);
    }

    [Test]
    public async Task A_slack_member_signs_in_and_sees_their_team()
    {
        _slack.User = Sam;

        using var page = await SignInWithSlackAsync(_growth);
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain("<h1>Growth</h1>").And.Contain("Member view").And.Contain("Signed in as Sam"));
        Assert.That(_slack.TokenRequests[^1]["grant_type"], Is.EqualTo("authorization_code"));
        Assert.That(_client.Cookies.Keys, Has.Some.EqualTo(".AlignmentBot.Dashboard"));
    }

    [Test]
    public async Task A_slack_person_cannot_see_a_teams_tenants_team_that_carries_the_same_ids()
    {
        _slack.User = Sam;
        using var signedIn = await SignInWithSlackAsync(_growth);

        using var twin = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_twin}"));
        using var list = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/teams"));

        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(twin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "platform 'slack' + team id + user id, never the Teams tenant's T0GROWTH/U0SAM");
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Contain("Growth").And.Not.Contain("Teams twin"));
    }

    [TestCase("forged")]
    [TestCase("expired")]
    [TestCase("another audience")]
    [TestCase("wrong nonce")]
    public async Task A_bad_slack_id_token_is_refused_with_401_and_no_session(string what)
    {
        _slack.User = Sam;
        switch (what)
        {
            case "forged": _slack.ForgeWith = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = _slack.SigningKey.KeyId }; break;
            case "expired": _slack.IdTokenLifetime = TimeSpan.FromMinutes(-10); break;
            case "another audience": _slack.AudienceOverride = "9999999.88888888"; break;
            default: _slack.NonceOverride = "a-nonce-from-another-sign-in"; break;
        }

        using var response = await SignInWithSlackAsync(_growth);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_client.Cookies.Keys, Has.None.EqualTo(".AlignmentBot.Dashboard"));
    }

    [Test]
    public void Turned_on_without_a_client_it_names_the_missing_settings()
    {
        var failing = new SlackSignInOptionsValidator().Validate(null, new SlackSignInOptions { Enabled = true });
        var passing = new SlackSignInOptionsValidator().Validate(null, new SlackSignInOptions { Enabled = true, ClientId = SlackClientId, ClientSecret = "s" });

        Assert.That(failing.Failures, Has.Some.StartsWith("Dashboard:Slack:ClientId is not set"));
        Assert.That(failing.Failures, Has.Some.StartsWith("Dashboard:Slack:ClientSecret is not set"));
        Assert.That(passing.Succeeded, Is.True);
    }

    [Test]
    public void The_slack_apps_own_client_is_used_when_the_dashboard_names_none()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:ClientId"] = SlackClientId, ["Slack:ClientSecret"] = "the-apps-secret",
        }).Build();
        var options = new SlackSignInOptions { Enabled = true };

        new SlackSignInOptionsSetup(configuration).PostConfigure(null, options);

        Assert.That((options.ClientId, options.ClientSecret), Is.EqualTo((SlackClientId, "the-apps-secret")));
    }

    [Test]
    public async Task A_slack_admin_named_in_the_list_uses_the_console_for_their_own_workspace_only()
    {
        _slack.User = Ada;

        using var console = await BrowseAsync("/signin/slack?returnUrl=%2Fconsole");
        var html = await console.Content.ReadAsStringAsync();
        using var audit = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/console/audit"));
        using var growth = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_growth}"));
        using var twin = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_twin}"));

        Assert.That(console.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain("You are an admin of organisation <code>T0GROWTH</code>"));
        Assert.That(audit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(growth.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an admin sees their workspace's teams");
        Assert.That(twin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the Teams tenant with the same id is not theirs");
    }

    [Test]
    public async Task A_slack_person_not_in_the_admin_list_is_refused_by_the_console()
    {
        _slack.User = Sam;

        using var console = await BrowseAsync("/signin/slack?returnUrl=%2Fconsole");

        Assert.That(console.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(WebUtility.HtmlDecode(await console.Content.ReadAsStringAsync()), Does.Contain("named in the bot's admin list"));
    }
}
