using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The new dashboard pages in Debian's Chromium: the leaders' view with its filters, roll-up and heatmap, and a team
/// page with a check-in history opened, wins and the line of sight; axe finds no serious or critical problem on
/// either. Screenshots go to artifacts/screenshots/.
/// </summary>
[NonParallelizable]
public class DashboardLeadersBrowserTests : PlaywrightTest
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ];

    private DashboardSite _site = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private string _base = null!;

    [SetUp]
    public async Task StartAsync()
    {
        // The browser judges the sign-in cookies by the machine's clock, so the bot's fake clock is not behind it.
        var now = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(now > DigestFixture.At ? now : DigestFixture.At);
        _base = $"http://127.0.0.1:{BotProcess.FreePort()}";
        _site = await DashboardSite.StartAsync(clock, _base);
        await _site.Database.ExecuteAsync($"""
            UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'Clarity' WHEN 2 THEN 'Line of sight' ELSE '' END;
            UPDATE teams SET parent_team_id = {_site.Fixture.Platform} WHERE id = {_site.Fixture.Payments};
            UPDATE checkins SET blocker = 'Waiting on the pricing page' WHERE value = 9 AND confidence = 3;
            """);
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

    private async Task ScreenshotAsync(string name, string description)
    {
        var file = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, description);
    }

    private async Task<List<string>> SeriousAsync()
    {
        var axe = await _page.RunAxe();
        return [.. axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes)")];
    }

    [Test]
    public async Task A_leader_filters_the_leaders_view_and_it_stays_accessible()
    {
        _site.Entra.User = DashboardSite.Lea;
        var response = await _page.GotoAsync($"{_base}/leaders");
        Assert.That(response?.Status, Is.EqualTo(200));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Leaders' view"));
        Assert.That(await _page.Locator("svg.heatmap text").Filter(new LocatorFilterOptions { HasText = "n < 5" }).CountAsync(), Is.EqualTo(2),
            "Payments' two driver cells");
        await ScreenshotAsync("leaders-view.png", "The leaders' view: roll-up with risk flags, and the heatmap");
        Assert.That(await SeriousAsync(), Is.Empty);

        await _page.Locator("select[name=team]").SelectOptionAsync(_site.Fixture.Platform.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await _page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply" }).ClickAsync();
        await _page.WaitForURLAsync($"**/leaders?run=*&team={_site.Fixture.Platform}");

        var rows = _page.Locator("table.rollup tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(2), "Platform and Payments, under it");
        Assert.That(await _page.Locator("main").InnerTextAsync(), Does.Not.Contain("Participation under 60 %"), "Sales' flags are filtered out");
        await ScreenshotAsync("leaders-view-filtered.png", "The leaders' view filtered to Platform and the teams under it");
        Assert.That(await SeriousAsync(), Is.Empty);
    }

    [Test]
    public async Task A_member_opens_a_key_results_check_in_history_and_the_page_stays_accessible()
    {
        _site.Entra.User = DashboardSite.Alice;
        var response = await _page.GotoAsync($"{_base}/teams/{_site.Fixture.Platform}");
        Assert.That(response?.Status, Is.EqualTo(200));

        var churn = _page.Locator("details.history").Filter(new LocatorFilterOptions { HasText = "Churn" });
        await churn.Locator("summary").ClickAsync();
        Assert.That(await churn.Locator("table").IsVisibleAsync(), Is.True);
        Assert.That(await churn.Locator("tbody tr").First.InnerTextAsync(), Does.Contain("Waiting on the pricing page").And.Contain("alice"));
        Assert.That(await _page.Locator("ul.wins li").CountAsync(), Is.EqualTo(3));
        await ScreenshotAsync("dashboard-member-history.png", "Platform, member view, Churn's check-ins open");
        Assert.That(await SeriousAsync(), Is.Empty);
    }

    [Test]
    public async Task A_member_gets_the_403_page_for_the_leaders_view()
    {
        _site.Entra.User = DashboardSite.Alice;
        var response = await _page.GotoAsync($"{_base}/leaders");

        Assert.That(response?.Status, Is.EqualTo(403));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("You can't see the leaders' view"));
        Assert.That(await SeriousAsync(), Is.Empty);
    }
}
