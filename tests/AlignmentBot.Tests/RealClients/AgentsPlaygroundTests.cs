using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>
/// End to end with the real Microsoft 365 Agents Playground 0.2.28 (offline, telemetry off): the bot
/// runs as its own process in local mode, the playground is the Teams-like client and the Bot Connector.
/// </summary>
public class AgentsPlaygroundTests
{
    private TestDatabase _database = null!;
    private BotProcess _bot = null!;

    [SetUp]
    public async Task StartBotAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _bot = BotProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = _database.ConnectionString });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ValueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(_bot.BaseAddress, "/healthz"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up || _bot.HasExited, TimeSpan.FromSeconds(60), "the bot to start");
        Assert.That(_bot.HasExited, Is.False, _bot.StandardError);
    }

    [TearDown]
    public async Task StopBotAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private string Endpoint => new Uri(_bot.BaseAddress, "/api/messages").ToString();

    [Test]
    public async Task Help_in_the_playgrounds_personal_chat_gets_the_help_card_back()
    {
        var (exitCode, output, errors) = await NodeClients.RunAsync("playground.cjs", "say", "--endpoint", Endpoint, "--text", "help",
            "--port", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "30");

        Assert.That(exitCode, Is.Zero, $"no reply arrived. playground: {errors}\nbot: {_bot.StandardOutput}");
        using var reply = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        var attachment = reply.RootElement.GetProperty("attachments")[0];
        Assert.Multiple(() =>
        {
            Assert.That(attachment.GetProperty("contentType").GetString(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(attachment.GetProperty("content").GetProperty("body")[0].GetProperty("text").GetString(), Is.EqualTo("AlignmentBot"));
        });
        Assert.That(await _database.ScalarAsync<string>("SELECT service_url FROM conversations"), Does.EndWith("/_connector"),
            "the playground's mock connector is stored as the conversation's serviceUrl");
    }

    [Test]
    public async Task The_help_card_renders_in_the_playground_ui_in_headless_chromium()
    {
        var screenshot = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", "playground-help-card.png");

        var (exitCode, output, errors) = await NodeClients.RunAsync("screenshot.cjs", "--endpoint", Endpoint, "--text", "help", "--out", screenshot,
            "--expect", "Check-in nudges", "--port", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "60");

        Assert.That(exitCode, Is.Zero, $"{errors}\nbot: {_bot.StandardOutput}");
        using var result = JsonDocument.Parse(output.Trim());
        Assert.That(result.RootElement.GetProperty("cardText").GetString(), Does.Contain("What I do").And.Contain("help"));
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a real screenshot, not an empty page");
        TestContext.AddTestAttachment(screenshot, "The help card as the Agents Playground shows it");
        TestContext.Out.WriteLine($"screenshot: {screenshot}");
    }
}
