using System.Net;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Health;

public class HealthEndpointTests
{
    [Test]
    public async Task Health_is_ok_when_the_database_and_the_scheduler_are_up()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var bot = new BotFactory(database);
        using var client = bot.CreateClient();

        // Quartz starts just after the app; "starting" may show for a moment.
        var body = await Eventually.ValueAsync(
            async () => await client.GetStringAsync("/healthz"),
            json => Read(json)["scheduler"] == "ok",
            TimeSpan.FromSeconds(30),
            "the scheduler to report ok");

        var health = Read(body);
        Assert.Multiple(() =>
        {
            Assert.That(health["status"], Is.EqualTo("ok"));
            Assert.That(health["database"], Is.EqualTo("ok"));
            Assert.That(health["scheduler"], Is.EqualTo("ok"));
            Assert.That(health["graph"], Is.EqualTo("off"), "Graph sync is a part of its own, off by default");
        });
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM schemaversions"), Is.GreaterThan(0),
            "the host applied the migrations at start-up");
    }

    [Test]
    public async Task Health_is_503_naming_the_database_while_postgres_refuses_connections()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bot = new BotFactory(database);
        using var client = bot.CreateClient();
        await Eventually.ValueAsync(async () => (await client.GetAsync("/healthz")).StatusCode, code => code == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the bot to be healthy first");

        await TestDatabase.ExecuteOnServerAsync($"ALTER DATABASE \"{database.Name}\" WITH ALLOW_CONNECTIONS false");
        await TestDatabase.ExecuteOnServerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}'");
        try
        {
            var down = await Eventually.ValueAsync(() => client.GetAsync("/healthz"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "health to report the database down");
            var health = Read(await down.Content.ReadAsStringAsync());
            Assert.Multiple(() =>
            {
                Assert.That(health["status"], Is.EqualTo("failing"));
                Assert.That(health["database"], Is.EqualTo("unreachable"));
                Assert.That(health["failing"], Does.Contain("database"));
            });
        }
        finally
        {
            await TestDatabase.ExecuteOnServerAsync($"ALTER DATABASE \"{database.Name}\" WITH ALLOW_CONNECTIONS true");
        }

        await Eventually.ValueAsync(async () => (await client.GetAsync("/healthz")).StatusCode, code => code == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "health to recover once PostgreSQL accepts connections again");
    }

    /// <summary>Flattens the health JSON to strings (arrays joined with commas) for easy assertions.</summary>
    private static Dictionary<string, string> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Array
                ? string.Join(",", p.Value.EnumerateArray().Select(e => e.ToString()))
                : p.Value.ToString());
    }
}
