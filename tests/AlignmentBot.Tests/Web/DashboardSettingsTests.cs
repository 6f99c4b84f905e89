using System.Net;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Web;
using AlignmentBot.Tests.Hosting;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Web;

/// <summary>The dashboard is off unless configured, and its settings are checked at start-up.</summary>
public class DashboardSettingsTests
{
    [Test]
    public async Task The_dashboard_is_off_by_default_and_its_paths_are_404()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bot = new BotFactory(database);
        using var http = bot.CreateDefaultClient();

        using var page = await http.GetAsync(new Uri("/teams/1", UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(health.Headers.Contains("Content-Security-Policy"), Is.False, "nothing of the dashboard runs while it is off");
    }

    [Test]
    public void Turned_on_without_an_app_registration_it_names_the_missing_setting()
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { Enabled = true });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Some.StartsWith("Dashboard:ClientId is not set"));
        Assert.That(result.Failures, Has.Some.StartsWith("Dashboard:ClientSecret is not set"));
    }

    [TestCase("http://login.example.test/organizations/v2.0", false)]
    [TestCase("not a url", false)]
    [TestCase("http://127.0.0.1:5000/organizations/v2.0", true)]
    [TestCase(DashboardOptions.EntraAuthority, true)]
    public void The_authority_must_be_https_except_on_loopback(string authority, bool valid)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions
        {
            Enabled = true, ClientId = Guid.NewGuid().ToString(), ClientSecret = "secret", Authority = authority,
        });

        Assert.That(result.Succeeded, Is.EqualTo(valid), string.Join(" ", result.Failures ?? []));
    }

    [Test]
    public void Off_it_asks_for_nothing()
    {
        Assert.That(new DashboardOptionsValidator().Validate(null, new DashboardOptions()).Succeeded, Is.True);
    }

    [Test]
    public async Task Start_up_fails_with_one_line_naming_the_setting()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string> { ["Dashboard__Enabled"] = "true", ["Dashboard__ClientSecret"] = "s" });

        var exitCode = await bot.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        StartupTests.AssertOneLine(bot, "Dashboard:ClientId is not set");
    }
}
