using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The admin console in Debian's Chromium: an admin signs in through the fake Entra ID, creates a survey, uploads a
/// people file with a bad line and sees the line named; axe finds no serious or critical problem on any console page.
/// Screenshots go to artifacts/screenshots/.
/// </summary>
[NonParallelizable]
public class ConsoleBrowserTests : PlaywrightTest
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
        // As the dashboard's browser tests: the browser judges the sign-in cookies by the machine's clock.
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

    private async Task ScreenshotAsync(string name, string description)
    {
        var file = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, description);
    }

    private async Task<IReadOnlyList<string>> SeriousAsync()
    {
        var axe = await _page.RunAxe();
        return [.. axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{_page.Url} {v.Id}: {v.Help} ({v.Nodes.Length} nodes)")];
    }

    [Test]
    public async Task An_admin_creates_a_survey_and_uploads_a_people_file_whose_bad_line_is_named()
    {
        _site.Entra.User = DashboardSite.Admin;
        var home = await _page.GotoAsync($"{_base}/console");
        Assert.That(home?.Status, Is.EqualTo(200));
        Assert.That(_page.Url, Is.EqualTo($"{_base}/console"), "back at the console, after Entra");

        await _page.GotoAsync($"{_base}/console/surveys/new");
        await _page.GetByLabel("Name", new() { Exact = true }).FillAsync("Friday check");
        await _page.GetByLabel("Payments (1 people)").CheckAsync();
        await _page.Locator("#cadence").SelectOptionAsync("weekly");
        await _page.Locator("#day").FillAsync("friday");
        await _page.Locator("#q0-kind").SelectOptionAsync("likert5");
        await _page.Locator("#q0-prompt").FillAsync("I know what our team is aiming for.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Create survey" }).ClickAsync();

        Assert.That(_page.Url, Does.Match($"^{_base}/console/surveys/\\d+\\?created=true$"));
        Assert.That(await _page.GetByRole(AriaRole.Status).InnerTextAsync(), Does.Contain("Saved"));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Survey: Friday check"));
        await ScreenshotAsync("console-survey-created.png", "The survey page after creating a survey");

        await _page.GotoAsync($"{_base}/console/people");
        await _page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "people.csv", MimeType = "text/csv", Buffer = "person,time_zone\n29:alice,Europe/Berlin\n29:mia,Mars/Olympus\n"u8.ToArray(),
        });
        await _page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        var failed = _page.Locator("table").Filter(new() { HasText = "Lines that failed" }).Locator("tbody tr");
        Assert.That(await failed.CountAsync(), Is.EqualTo(1));
        Assert.That(await failed.Locator("th").InnerTextAsync(), Is.EqualTo("line 3"));
        Assert.That(await failed.Locator("td").InnerTextAsync(), Does.Contain("\"Mars/Olympus\" is not a time zone"));
        await ScreenshotAsync("console-people-refused.png", "A people file with a bad time zone on line 3");
        Assert.That(await SeriousAsync(), Is.Empty);
    }

    [Test]
    public async Task Every_console_page_has_no_serious_or_critical_accessibility_problem()
    {
        _site.Entra.User = DashboardSite.Admin;
        var survey = await _site.Database.ScalarAsync<long>("SELECT id FROM surveys WHERE name = 'Alignment pulse'");
        string[] pages = ["/console", "/console/surveys", "/console/surveys/new", $"/console/surveys/{survey}", $"/console/surveys/{survey}/runs",
            "/console/people", "/console/okrs", "/console/settings", "/console/audit"];
        var problems = new List<string>();
        foreach (var path in pages)
        {
            var response = await _page.GotoAsync(_base + path);
            Assert.That(response?.Status, Is.EqualTo(200), path);
            problems.AddRange(await SeriousAsync());
        }

        await _page.GotoAsync($"{_base}/console/surveys/new");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Create survey" }).ClickAsync();
        Assert.That(await _page.Locator(".field-problem").CountAsync(), Is.GreaterThan(0), "an empty survey shows its problems");
        await ScreenshotAsync("console-survey-problems.png", "An empty survey: the API's messages beside the fields");
        problems.AddRange(await SeriousAsync());

        await _page.GotoAsync($"{_base}/console/surveys/{survey}/runs");
        await ScreenshotAsync("console-runs.png", "The fixture survey's runs");

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task A_member_who_opens_the_console_gets_the_accessible_403_page()
    {
        _site.Entra.User = DashboardSite.Alice;
        var response = await _page.GotoAsync($"{_base}/console");

        Assert.That(response?.Status, Is.EqualTo(403));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("The console is for admins"));
        await ScreenshotAsync("console-403.png", "A member opening the console");
        Assert.That(await SeriousAsync(), Is.Empty);
    }

    [Test]
    public async Task A_survey_that_does_not_exist_is_the_accessible_404_page()
    {
        _site.Entra.User = DashboardSite.Admin;
        var response = await _page.GotoAsync($"{_base}/console/surveys/987654321");

        Assert.That(response?.Status, Is.EqualTo(404));
        Assert.That(await _page.Locator("h1").InnerTextAsync(), Is.EqualTo("Not found"));
        Assert.That(await SeriousAsync(), Is.Empty);
    }
}
