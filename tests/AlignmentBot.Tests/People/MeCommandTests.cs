using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.People;

/// <summary><c>me</c>, <c>timezone</c> and <c>pulses off/on</c> in a 1:1 chat: what the bot keeps, from where, and a person's own choices.</summary>
public class MeCommandTests
{
    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _ana;
    private long _ben;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        var seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        var team = await seed.TeamAsync("Platform");
        _ana = await seed.PersonAsync(team, "ana", null);
        _ben = await seed.PersonAsync(team, "ben", null);
        await _database.ExecuteAsync($"UPDATE team_members SET role = 'manager' WHERE person_id = {_ben}");
        await using (var dataSource = _database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await PersonFacts.WriteAsync(connection, null, [
                new PersonFact(_ana, PersonFacts.Manager, PersonFacts.Graph, _ben.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new PersonFact(_ana, PersonFacts.TimeZone, PersonFacts.Graph, "Asia/Tokyo"),
                new PersonFact(_ana, PersonFacts.TimeZone, PersonFacts.Platform, "Europe/Berlin"),
                new PersonFact(_ben, PersonFacts.TimeZone, PersonFacts.File, "America/Chicago"),
                new PersonFact(_ben, PersonFacts.JobTitle, PersonFacts.Graph, "Head of Platform"),
            ], DateTimeOffset.UnixEpoch, CancellationToken.None);
        }

        _bot = new BotFactory(_database);
        _http = _bot.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<string> SayAsync(string who, string text)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message(who, text, _connector.ServiceUrl));
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), $"a reply to {who}");
        return replies[^1].Json!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Test]
    public async Task Me_shows_each_value_with_its_source_and_only_the_askers_own()
    {
        var me = await SayAsync("ana", "me");

        Assert.Multiple(() =>
        {
            Assert.That(me, Does.Contain("Asia/Tokyo — your Microsoft 365 profile (your Teams client says Europe/Berlin)"));
            Assert.That(me, Does.Contain("ben — your Microsoft 365 profile"), "the manager by name, with the source");
            Assert.That(me, Does.Contain("Platform"));
            Assert.That(me, Does.Contain("pulses off"), "how to change it");
            Assert.That(me, Does.Not.Contain("America/Chicago").And.Not.Contain("Head of Platform"), "nothing of anyone else");
        });
        Assert.That(await SayAsync("ben", "me"), Does.Contain("Platform (manager)").And.Contain("America/Chicago — your organisation's HR file"));
    }

    [Test]
    public async Task A_persons_own_zone_beats_graph_and_a_bad_zone_gets_a_friendly_answer()
    {
        Assert.That(await SayAsync("ana", "timezone Mars/Olympus"), Does.Contain("I don't know the time zone \\\"Mars/Olympus\\\"").Or.Contain("I don't know the time zone \"Mars/Olympus\""));
        Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {_ana}"), Is.EqualTo("Asia/Tokyo"));

        Assert.That(await SayAsync("ana", "timezone europe/lisbon"), Does.Contain("your time zone is Europe/Lisbon"));
        Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {_ana}"), Is.EqualTo("Europe/Lisbon"));
        Assert.That(await SayAsync("ana", "me"), Does.Contain("Europe/Lisbon — your own choice"));
    }

    [Test]
    public async Task Pulses_off_and_on_set_the_persons_own_choice()
    {
        Assert.That(await SayAsync("ana", "pulses off"), Does.Contain("no more pulse surveys"));
        Assert.That(await _database.ScalarAsync<bool>($"SELECT opted_out_of_pulses FROM people WHERE id = {_ana}"), Is.True);
        Assert.That(await SayAsync("ana", "pulses maybe"), Does.Contain("Say “pulses off”"));
        Assert.That(await SayAsync("ana", "pulses on"), Does.Contain("pulse surveys again"));
        Assert.That(await _database.ScalarAsync<bool>($"SELECT opted_out_of_pulses FROM people WHERE id = {_ana}"), Is.False);
    }
}
