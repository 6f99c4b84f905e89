using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Web;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace AlignmentBot.Tests.FocusAreas;

/// <summary>
/// The focus form in Debian's Chromium: Platform's manager picks a driver and writes a plan, an empty plan's
/// message sits next to its field, axe finds no serious or critical problem. Screenshots go to artifacts/screenshots/.
/// </summary>
[NonParallelizable]
public class FocusBrowserTests : PlaywrightTest
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
        // The browser keeps cookies by the machine's clock, so the bot's fake clock must not be behind it (as the dashboard's browser tests).
        var now = TimeProvider.System.GetUtcNow();
        _base = $"http://127.0.0.1:{BotProcess.FreePort()}";
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(now > DigestFixture.At ? now : DigestFixture.At), _base);
        await _site.Database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'clarity' WHEN 2 THEN 'line of sight' ELSE 'recommend' END");
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
        await _page.Locator("#focus").Locator("..").ScreenshotAsync(new LocatorScreenshotOptions { Path = file });
        TestContext.AddTestAttachment(file, description);
    }

    private async Task<IReadOnlyList<string>> SeriousAsync()
    {
        var axe = await _page.RunAxe();
        return [.. axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes)")];
    }

    [Test]
    public async Task The_manager_sets_a_focus_in_the_browser_on_an_accessible_form()
    {
        _site.Entra.User = DashboardSite.Mia;
        await _page.GotoAsync($"{_base}/teams/{_site.Fixture.Platform}");
        Assert.That(await SeriousAsync(), Is.Empty, "the empty form");

        await _page.GetByLabel("line of sight — 4.00 of 5", new PageGetByLabelOptions { Exact = false }).CheckAsync();
        // The browser keeps a plan to the field's maxlength; an empty one is the mistake left to make here.
        await _page.GetByLabel("What the team will do").FillAsync("");
        await _page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Set focus" }).ClickAsync();
        await _page.Locator("#plan-problem").WaitForAsync();
        Assert.That(await _page.Locator("#plan-problem").InnerTextAsync(), Is.EqualTo("Write what the team will do."));
        Assert.That(await _page.GetByLabel("What the team will do").GetAttributeAsync("aria-describedby"), Is.EqualTo("plan-problem"), "the message belongs to its field");
        Assert.That(await SeriousAsync(), Is.Empty, "the form with its message");
        await ScreenshotAsync("focus-form-problem.png", "The focus form: a driver picked, the plan left empty");

        await _page.GetByLabel("line of sight — 4.00 of 5", new PageGetByLabelOptions { Exact = false }).CheckAsync();
        await _page.GetByLabel("What the team will do").FillAsync("Every sprint review starts with the quarter's objectives.");
        await _page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Set focus" }).ClickAsync();
        await _page.GetByRole(AriaRole.Status).WaitForAsync();

        Assert.That(await _page.Locator(".focus").InnerTextAsync(), Does.Contain("We are doing: Every sprint review starts with the quarter's objectives."));
        Assert.That(await SeriousAsync(), Is.Empty, "the page with the focus set");
        await ScreenshotAsync("focus-set.png", "Platform's dashboard after its manager set a focus");
    }
}
