using System.Net.Http.Json;
using AlignmentBot.Bot.People;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.People;

/// <summary>What the platform shows, kept for free: Teams' localTimezone, the roster's ids and emails, joiners and leavers.</summary>
public class ObservedDirectoryTests
{
    private const string Tenant = "tenant-observed";
    private const string TeamId = "19:team-observed@thread.tacv2";

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private FakeTimeProvider _clock = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _bot = new BotFactory(_database, time: _clock);
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

    private object Activity(string type, string who, string? zone, object? value = null, string? name = null, string? text = "hello") => new
    {
        type,
        name,
        id = Guid.NewGuid().ToString(),
        text,
        value,
        localTimezone = zone,
        channelId = "msteams",
        serviceUrl = _connector.ServiceUrl,
        from = new { id = $"29:{who}", name = who, aadObjectId = $"aad-{who}" },
        conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = Tenant },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = Tenant } },
    };

    private async Task SendAsync(object activity)
    {
        using var response = await _http.PostAsJsonAsync("/api/messages", activity);
        response.EnsureSuccessStatusCode();
    }

    private Task<string?> ZoneRowAsync() => _database.ScalarAsync<string>("""
        SELECT p.time_zone || ' ' || (SELECT f.xmin::text FROM person_facts f WHERE f.person_id = p.id AND f.field = 'time_zone') || ' ' || p.xmin::text
        FROM people p WHERE p.platform_user_id = '29:ana'
        """);

    [Test]
    public async Task Teams_localTimezone_becomes_the_persons_zone_written_only_when_it_changed_and_never_with_a_card_answer()
    {
        await SendAsync(Activity("message", "ana", "Europe/Berlin"));
        var first = await ZoneRowAsync();
        Assert.That(first, Does.StartWith("Europe/Berlin "));
        Assert.That(await _database.ScalarAsync<string>("SELECT source FROM person_facts WHERE field = 'time_zone'"), Is.EqualTo("platform"));

        _clock.Advance(TimeSpan.FromMinutes(5)); // past the directory cache: the comparison is with the database
        await SendAsync(Activity("message", "ana", "Europe/Berlin"));
        Assert.That(await ZoneRowAsync(), Is.EqualTo(first), "the same zone again writes nothing");

        await SendAsync(Activity("invoke", "ana", "Asia/Tokyo", value: new { action = new { type = "Action.Execute", verb = "help.show", data = new { verb = "help.show" } } }, name: "adaptiveCard/action", text: null));
        Assert.That(await ZoneRowAsync(), Is.EqualTo(first), "a card answer never writes the person's row");
        await SendAsync(Activity("message", "ana", "Not/AZone"));
        Assert.That(await ZoneRowAsync(), Is.EqualTo(first), "a zone we cannot compute with is ignored");

        await SendAsync(Activity("message", "ana", "Asia/Tokyo"));
        Assert.That(await ZoneRowAsync(), Does.StartWith("Asia/Tokyo "), "the person travelled");
    }

    [Test]
    public async Task The_roster_refresh_keeps_ids_and_emails_current_adds_joiners_and_retires_someone_in_no_team_after_fourteen_days()
    {
        _connector.SetRoster(TeamId, [new FakeMember("29:ana", "aad-ana", "Ana", Email: "ana@example.com"), new FakeMember("29:ben", "aad-ben", "Ben")]);
        await SendAsync(new
        {
            type = "conversationUpdate",
            id = Guid.NewGuid().ToString(),
            channelId = "msteams",
            serviceUrl = _connector.ServiceUrl,
            from = new { id = "29:ana", name = "Ana" },
            conversation = new { id = TeamId, conversationType = "channel", tenantId = Tenant },
            recipient = new { id = "28:bot", name = "AlignmentBot" },
            membersAdded = new[] { new { id = "28:bot" } },
            channelData = new { tenant = new { id = Tenant }, team = new { id = TeamId, name = "Observed" } },
        });
        var refresh = _bot.Services.GetRequiredService<RosterRefresh>();

        // Nobody announced it: ben left, cem joined, ana's email changed.
        _connector.SetRoster(TeamId, [new FakeMember("29:ana", "aad-ana", "Ana", Email: "ana.new@example.com"), new FakeMember("29:cem", "aad-cem", "Cem", UserPrincipalName: "cem@example.com")]);
        Assert.That((await refresh.RefreshAsync(CancellationToken.None)).Rosters, Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(p.platform_user_id || '=' || coalesce(p.email, '-') || '/' || p.aad_object_id, ' ' ORDER BY p.platform_user_id)
            FROM team_members tm JOIN people p ON p.id = tm.person_id
            """), Is.EqualTo("29:ana=ana.new@example.com/aad-ana 29:cem=cem@example.com/aad-cem"));

        _clock.Advance(TimeSpan.FromDays(13));
        await refresh.RefreshAsync(CancellationToken.None);
        Assert.That(await _database.ScalarAsync<bool>("SELECT active FROM people WHERE platform_user_id = '29:ben'"), Is.True, "13 days in no team");
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.That((await refresh.RefreshAsync(CancellationToken.None)).Retired, Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(platform_user_id, ',' ORDER BY platform_user_id) FROM people WHERE NOT active"), Is.EqualTo("29:ben"));

        // Back in the team: active again.
        _connector.SetRoster(TeamId, [new FakeMember("29:ana", "aad-ana", "Ana"), new FakeMember("29:ben", "aad-ben", "Ben")]);
        await refresh.RefreshAsync(CancellationToken.None);
        Assert.That(await _database.ScalarAsync<bool>("SELECT active AND teamless_since IS NULL FROM people WHERE platform_user_id = '29:ben'"), Is.True);
    }
}
