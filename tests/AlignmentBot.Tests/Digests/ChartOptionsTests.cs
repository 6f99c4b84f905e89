using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Tests.Hosting;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Digests;

/// <summary>Charts:PublicBaseUrl and Charts:ExpiryDays: checked at start-up, each failure naming its setting.</summary>
public class ChartOptionsTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static IEnumerable<string> Failures(string baseUrl, int expiryDays = 14) =>
        new ChartOptionsValidator().Validate(null, new ChartOptions { PublicBaseUrl = baseUrl, ExpiryDays = expiryDays }).Failures ?? [];

    [TestCase("https://bot.example.com")]
    [TestCase("https://bot.example.com/alignment/")]
    [TestCase("http://127.0.0.1:3978")]
    public void An_absolute_http_or_https_address_is_accepted(string baseUrl) =>
        Assert.That(Failures(baseUrl), Is.Empty);

    [TestCase("bot.example.com")]
    [TestCase("/charts")]
    [TestCase("ftp://bot.example.com")]
    [TestCase("https://bot.example.com/?a=b")]
    [TestCase("https://user:secret@bot.example.com")]
    public void Anything_else_is_refused_naming_the_setting_without_echoing_it(string baseUrl)
    {
        var failure = Failures(baseUrl).Single();

        Assert.That(failure, Does.StartWith("Charts:PublicBaseUrl must be an absolute http or https URL"));
        Assert.That(failure, Does.Not.Contain("secret"));
    }

    [TestCase(0)]
    [TestCase(366)]
    public void An_expiry_outside_one_to_365_days_is_refused(int days) =>
        Assert.That(Failures("https://bot.example.com", days).Single(), Is.EqualTo($"Charts:ExpiryDays is {days}: use a number from 1 to 365."));

    [Test]
    public void Chart_urls_keep_the_path_a_reverse_proxy_adds()
    {
        var options = new ChartOptions { PublicBaseUrl = "https://bot.example.com/alignment" };

        Assert.That(options.ChartUrl("abc").ToString(), Is.EqualTo("https://bot.example.com/alignment/charts/abc.png"));
    }

    [Test]
    public async Task Start_up_with_an_invalid_public_base_url_exits_with_one_line_naming_it()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string> { ["Charts__PublicBaseUrl"] = "bot.example.com" });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        StartupTests.AssertOneLine(bot, "Charts:PublicBaseUrl must be an absolute http or https URL");
    }

    [Test]
    public async Task Outside_development_a_missing_public_base_url_stops_start_up()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Teams__AppId"] = "00000000-0000-0000-0000-000000000001",
            ["Teams__AppPassword"] = "a-client-secret",
            ["Teams__TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Privacy__ResponseKeySecret"] = "a-production-secret-of-at-least-32-characters",
            ["Charts__PublicBaseUrl"] = "",
        });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        StartupTests.AssertOneLine(bot, "Charts:PublicBaseUrl is not set: outside Development");
    }
}
