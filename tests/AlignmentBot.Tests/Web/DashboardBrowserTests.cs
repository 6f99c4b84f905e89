using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The dashboard in Debian's Chromium (Playwright for .NET, no browser download): sign-in end to end through the
/// fake Entra ID, the 403 page, the threshold's "n &lt; 5", and axe finding no serious or critical problem.
/// Screenshots go to artifacts/screenshots/.
/// </summary>
[NonParallelizable]
public class DashboardBrowserTests : PlaywrightTest
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        // Nothing but this machine: every other host name fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ];

    private DashboardSite _site = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private string _base = null!;

    [SetUp]
    public async Task StartAsync()
    {
        // The browser keeps the sign-in cookies by the machine's clock, so the bot's (fake) clock must not be behind
        // it: the fixture's week, or now when that is later. Nothing asserted depends on which.
        var now = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(now > DigestFixture.At ? now : DigestFixture.At);
        _base = $"http://127.0.0.1:{BotProcess.FreePort()}";
        _site = await DashboardSite.StartAsync(clock, _base);
        _browser = await BrowserType.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _browser.CloseAsync();
        await _site.DisposeAsync();
    }

    private async Task<IResponse?> OpenAsync(FakeEntraId.SignedInUser user, long team)
    {
        _site.Entra.User = user;
        return await _page.GotoAsync($"{_base}/teams/{team}");
    }

    private async Task ScreenshotAsync(string name, string description)
    {
        var file = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, description);
    }

    [Test]
    public async Task A_manager_signs_in_through_entra_and_sees_an_accessible_dashboard()
    {
        var response = await OpenAsync(DashboardSite.Mia, _site.Fixture.Platform);

        Assert.That(response?.Status, Is.EqualTo(200));
        Assert.That(_page.Url, Is.EqualTo($"{_base}/teams/{_site.Fixture.Platform}"), "back on the page asked for, after Entra");
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Platform"));
        Assert.That(await _page.GetByText("Signed in as Mia").CountAsync(), Is.EqualTo(1));
        Assert.That(await _page.Locator("svg[role=img]").CountAsync(), Is.EqualTo(2));
        Assert.That(await _page.Locator("table").CountAsync(), Is.GreaterThanOrEqualTo(3), "every chart has its table, and the results theirs");
        await ScreenshotAsync("dashboard-manager.png", "Platform's dashboard, manager view");

        var axe = await _page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes)").ToList();
        Assert.That(serious, Is.Empty);
    }

    [Test]
    public async Task A_member_who_opens_another_team_gets_the_403_page()
    {
        var response = await OpenAsync(DashboardSite.Pat, _site.Fixture.Platform);

        Assert.That(response?.Status, Is.EqualTo(403));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("You can't see this team"));
        Assert.That(await _page.GetByText("ARR").CountAsync(), Is.Zero);
        await ScreenshotAsync("dashboard-403.png", "A Payments member opening Platform's dashboard");
        var axe = await _page.RunAxe();
        Assert.That(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id), Is.Empty);
    }

    [Test]
    public async Task A_run_under_the_threshold_shows_n_under_5_in_the_browser_not_the_score()
    {
        var response = await OpenAsync(DashboardSite.Lea, _site.Fixture.Payments);
        var latestRow = _page.Locator("table").Filter(new LocatorFilterOptions { HasText = "Closed pulse runs" }).Locator("tbody tr").Last;

        Assert.That(response?.Status, Is.EqualTo(200));
        Assert.That(await latestRow.Locator("td").Nth(4).InnerTextAsync(), Is.EqualTo("n < 5"), "the score cell says why, not a number");
        Assert.That(await latestRow.InnerTextAsync(), Does.Not.Contain("1.00"));
        Assert.That(await _page.Locator("main").InnerTextAsync(), Does.Not.Contain("-100"));
        await ScreenshotAsync("dashboard-below-threshold.png", "Payments' dashboard: the latest run had 4 answers");
    }
}
