using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>
/// End to end with the real Microsoft 365 Agents Playground 0.2.28 (offline, telemetry off): the bot
/// runs as its own process in local mode, the playground is the Teams-like client and the Bot Connector.
/// </summary>
public class AgentsPlaygroundTests
{
    private const string AdminKey = "playground-admin-key-0123456789abcdef";

    private TestDatabase _database = null!;
    private BotProcess _bot = null!;

    // The admin API's own listener, on a port of its own (never the fixed default, which parallel runs would share).
    private Uri _admin = null!;

    [SetUp]
    public async Task StartBotAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _admin = new Uri($"http://127.0.0.1:{BotProcess.FreePort()}");
        _bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = _database.ConnectionString,
            ["Admin__ApiKey"] = AdminKey,
            ["Admin__Urls"] = _admin.ToString().TrimEnd('/'),
        });
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

    [Test]
    public async Task The_pulse_card_is_answered_in_the_playground_ui_and_the_answers_land_in_postgres()
    {
        // The playground's user says hello first, so the bot knows them; then they are put in a team with four others.
        var (helloExit, _, helloErrors) = await NodeClients.RunAsync("playground.cjs", "say", "--endpoint", Endpoint, "--text", "help",
            "--port", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "30");
        Assert.That(helloExit, Is.Zero, helloErrors);
        var tenant = await _database.ScalarAsync<string>("SELECT external_id FROM tenants");
        await _database.ExecuteAsync("""
            INSERT INTO teams (tenant_id, name) SELECT id, 'Playground team' FROM tenants;
            INSERT INTO people (tenant_id, platform_user_id, display_name) SELECT t.id, 'colleague-' || i, 'Colleague ' || i FROM tenants t, generate_series(1, 4) i;
            INSERT INTO team_members (team_id, person_id) SELECT tm.id, p.id FROM teams tm, people p;
            """);
        var team = await _database.ScalarAsync<long>("SELECT id FROM teams");
        using var admin = new HttpClient { BaseAddress = _admin };
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        using var survey = await admin.PostAsJsonAsync("/admin/surveys", new
        {
            tenant,
            name = "Alignment pulse",
            audience = new[] { team },
            questions = new object[]
            {
                new { kind = "likert5", prompt = "I know what is expected of me this quarter." },
                new { kind = "enps", prompt = "How likely are you to recommend working here?" },
                new { kind = "text", prompt = "What is unclear or blocking you right now?", required = false },
            },
        });
        var surveyId = JsonDocument.Parse(await survey.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using var run = await admin.PostAsync(new Uri($"/admin/surveys/{surveyId}/runs", UriKind.Relative), null);
        Assert.That(run.IsSuccessStatusCode, Is.True, await run.Content.ReadAsStringAsync());

        var screenshot = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", "playground-pulse-card.png");
        var (exitCode, output, errors) = await NodeClients.RunAsync("answer-card.cjs", "--endpoint", Endpoint, "--text", "pulse",
            "--expect", "Alignment pulse", "--choice", "4", "--pick", "9", "--comment", "More focus please", "--button", "Submit",
            "--done", "Thanks", "--out", screenshot,
            "--port", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "60");

        Assert.That(exitCode, Is.Zero, $"{errors}\nbot: {_bot.StandardOutput}");
        using var result = JsonDocument.Parse(output.Trim());
        Assert.That(result.RootElement.GetProperty("doneText").GetString(), Does.Contain("Thanks — recorded.").And.Contain("Edit my answers"));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(coalesce(r.value_number::text, r.value_text), '|' ORDER BY q.position)
            FROM responses r JOIN survey_questions q ON q.id = r.question_id
            """), Is.EqualTo("4|9|More focus please"), "Agree, 9 and the comment, as clicked and typed in Chromium");
        TestContext.AddTestAttachment(screenshot, "The pulse card, answered, as the Agents Playground shows it");
        await TestContext.Out.WriteLineAsync($"screenshot: {screenshot}");
    }
}
