using System.Text;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Pulses;

/// <summary>A newly installed team gets the default Alignment pulse, once, unless the admin turned it off.</summary>
public class DefaultPulseTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"; // the tenant of the documented payload

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        _bot = new BotFactory(_database);
        _client = _bot.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task InstallAsync()
    {
        using var response = await _client.PostAsync(new Uri("/api/messages", UriKind.Relative),
            new StringContent(TeamsPayloads.Json("bot-added-to-team", _connector.ServiceUrl), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    [Test]
    public async Task A_newly_installed_team_gets_the_biweekly_alignment_pulse_scheduled()
    {
        await InstallAsync();

        Assert.That(await _database.ScalarAsync<string>("""
            SELECT s.name || ' ' || s.cadence || ' ' || s.local_time || ' ' || count(q.id)
            FROM surveys s JOIN survey_questions q ON q.survey_id = s.id JOIN survey_audiences a ON a.survey_id = s.id
            JOIN teams t ON t.id = a.team_id AND t.id = s.default_for_team_id
            GROUP BY s.id
            """), Is.EqualTo("Alignment pulse biweekly 10:00:00 5"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE 'pulse-open-%'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Installing_twice_at_once_makes_one_default_pulse()
    {
        await Task.WhenAll(InstallAsync(), InstallAsync(), InstallAsync());

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM surveys WHERE is_default"), Is.EqualTo(1));
    }

    [Test]
    public async Task No_default_pulse_when_the_admin_turned_it_off()
    {
        await _database.ExecuteAsync($$"""INSERT INTO tenants (platform, external_id, settings) VALUES ('teams', '{{Tenant}}', '{"defaultPulse": false}')""");

        await InstallAsync();

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM teams"), Is.EqualTo(1), "the team is stored");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM surveys"), Is.Zero);
    }
}
