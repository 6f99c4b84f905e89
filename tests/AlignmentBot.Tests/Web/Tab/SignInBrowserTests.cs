using System.Text.Json;
using AlignmentBot.Bot.Web.Tab;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace AlignmentBot.Tests.Web.Tab;

/// <summary>
/// Sign in with Slack and the Teams tab in Debian's Chromium, with axe on every page. The tab's test replaces
/// Microsoft's library with a stand-in (<see cref="TeamsHostStub"/>) whose <c>getAuthToken()</c> hands over a token the
/// fake Entra signed: what runs for real is our tab script, the token exchange, the SameSite=None session and the
/// dashboard page in the tab; Teams itself (and its frame) is not here. Screenshots go to artifacts/screenshots/.
/// </summary>
[NonParallelizable]
public class SignInBrowserTests : PlaywrightTest
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ];

    private FakeSlackOpenId _slack = null!;
    private DashboardSite _site = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private string _base = null!;
    private long _growth;

    [SetUp]
    public async Task StartAsync()
    {
        // The browser judges cookies by the machine's clock: the bot's fake clock must not be behind it.
        var now = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(now > DigestFixture.At ? now : DigestFixture.At);
        _base = $"http://127.0.0.1:{BotProcess.FreePort()}";
        _slack = await FakeSlackOpenId.StartAsync(SlackSignInTests.SlackClientId, SlackSignInTests.SlackClientSecret);
        _slack.Clock = clock;
        var settings = SlackSignInTests.SlackSettings(_slack);
        foreach (var (key, value) in TeamsTabTests.TabSettings)
        {
            settings[key] = value;
        }

        _site = await DashboardSite.StartAsync(clock, _base, settings);
        (_growth, _) = await SlackSignInTests.SeedAsync(_site);
        _browser = await BrowserType.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _browser.CloseAsync();
        await _site.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private async Task ScreenshotAndAxeAsync(string name, string description)
    {
        var file = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, description);
        var axe = await _page.RunAxe();
        Assert.That(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"), Is.Empty, name);
    }

    /// <summary>Stands in for @microsoft/teams-js: Teams' answers without Teams. Records what the page told "Teams".</summary>
    private static string TeamsHostStub(string token) => $$"""
        window.teamsCalls = [];
        window.microsoftTeams = {
          app: { initialize: () => { teamsCalls.push("initialize"); return Promise.resolve(); } },
          authentication: { getAuthToken: () => { teamsCalls.push("getAuthToken"); return Promise.resolve({{JsonSerializer.Serialize(token)}}); } },
          pages: { config: {
            registerOnSaveHandler: (handler) => { window.saveHandler = handler; },
            setValidityState: (valid) => { teamsCalls.push("valid:" + valid); },
            setConfig: (config) => { window.savedConfig = config; return Promise.resolve(); },
          } },
        };
        """;

    private async Task StubTeamsAsync(string token) =>
        await _page.RouteAsync($"{_base}{TeamsTabPaths.TeamsJsScript}", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "text/javascript", Body = TeamsHostStub(token),
        }));

    [Test]
    public async Task A_slack_member_signs_in_through_slack_in_chromium()
    {
        _slack.User = SlackSignInTests.Sam;

        await _page.GotoAsync($"{_base}/teams/{_growth}");
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Sign in to AlignmentBot"));
        await ScreenshotAndAxeAsync("signin-choice.png", "The sign-in page with Microsoft and Slack");
        await _page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in with Slack" }).ClickAsync();
        await _page.WaitForURLAsync($"{_base}/teams/{_growth}");

        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Growth"));
        Assert.That(await _page.GetByText("Signed in as Sam").CountAsync(), Is.EqualTo(1));
        await ScreenshotAndAxeAsync("dashboard-slack-member.png", "Growth's dashboard after Sign in with Slack");
    }

    [Test]
    public async Task The_personal_tab_signs_in_with_a_Teams_SSO_token_and_shows_the_dashboard()
    {
        await StubTeamsAsync(_site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, TeamsTabTests.Audience));

        var first = await _page.GotoAsync($"{_base}/tab/open?to=%2Ftab%2Fteams");
        await _page.WaitForURLAsync($"{_base}/tab/teams");
        Assert.That(first?.Headers["content-security-policy"], Does.Contain("frame-ancestors https://*.cloud.microsoft"));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Your teams"));
        await ScreenshotAndAxeAsync("tab-my-teams.png", "The personal tab: Mia's teams");

        await _page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Platform" }).ClickAsync();
        await _page.WaitForURLAsync($"{_base}/tab/teams/{_site.Fixture.Platform}");
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Platform"));
        Assert.That(await _page.Locator("main").InnerTextAsync(), Does.Contain("Manager view"));
        await ScreenshotAndAxeAsync("tab-team-dashboard.png", "Platform's dashboard inside the tab");
    }

    [Test]
    public async Task The_channel_tab_configuration_offers_the_persons_teams_and_saves_that_teams_tab()
    {
        await StubTeamsAsync(_site.Entra.IssueTeamsSsoToken(DashboardSite.Pat, TeamsTabTests.Audience));

        await _page.GotoAsync($"{_base}{TeamsTabPaths.Configure}");
        var select = _page.GetByLabel("Team");
        await Assertions.Expect(select).ToBeEnabledAsync();
        Assert.That(await select.Locator("option").AllInnerTextsAsync(), Is.EqualTo(new[] { "Choose a team", "Payments" }), "Pat's teams only");
        await select.SelectOptionAsync(new SelectOptionValue { Label = "Payments" });
        await _page.EvaluateAsync("() => window.saveHandler({ notifySuccess: () => {}, notifyFailure: () => {} })");
        var contentUrl = await _page.EvaluateAsync<string>("() => window.savedConfig.contentUrl");

        Assert.That(contentUrl, Is.EqualTo($"{_base}/tab/open?to=%2Ftab%2Fteams%2F{_site.Fixture.Payments}"));
        Assert.That(await _page.EvaluateAsync<string[]>("() => window.teamsCalls"), Does.Contain("valid:true"));
        await ScreenshotAndAxeAsync("tab-configure.png", "The channel tab's configuration page");
    }

    [Test]
    public async Task The_tab_says_so_when_the_server_refuses_the_token()
    {
        await StubTeamsAsync(_site.Entra.IssueTeamsSsoToken(DashboardSite.Mia, "api://other.example.test/botid-" + DashboardSite.ClientId));

        await _page.GotoAsync($"{_base}/tab/open?to=%2Ftab%2Fteams");
        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("Teams did not vouch for you");

        Assert.That(_page.Url, Does.StartWith($"{_base}/tab/open"));
        await ScreenshotAndAxeAsync("tab-refused.png", "The tab after the bot refused a token for another audience");
    }
}
