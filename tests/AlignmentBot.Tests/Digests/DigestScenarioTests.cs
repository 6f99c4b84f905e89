using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Digests;

/// <summary>
/// The digests through the real bot: enqueued by the scheduler service, rendered when the outbox dispatcher sends
/// them to the fake Teams connector, on a fake clock; and the <c>digest</c> command's previews.
/// </summary>
public class DigestScenarioTests
{
    private const string Key = "digest-admin-key-0123456789abcdef";

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private DigestFixture _fixture = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _clock = new FakeTimeProvider(DigestFixture.At);
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _fixture = await new DigestFixture(_database).CreateAsync(_connector.ServiceUrl);
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            ["Privacy:ResponseKeySecret"] = "digest-response-key-secret-0123456789",
        }, _clock);
        _http = _bot.CreateClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Steps the fake clock while the dispatcher works, until no delivery is pending or being sent.</summary>
    private async Task DrainAsync()
    {
        await Eventually.ValueAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(200));
            return await _database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')");
        }, busy => busy == 0, TimeSpan.FromSeconds(30), "the outbox to drain");
    }

    private static string Text(ReceivedActivity activity) =>
        activity.Json!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private async Task<string> SayAsync(string who, string text)
    {
        var before = _connector.ActivitiesIn($"a:chat-{who}").Count;
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message(who, text, _connector.ServiceUrl));
        var replies = await Eventually.ValueAsync(() => Task.FromResult(_connector.ActivitiesIn($"a:chat-{who}")), r => r.Count > before, TimeSpan.FromSeconds(10), $"a reply to {who}");
        return Text(replies[^1]);
    }

    [Test]
    public async Task The_team_digest_is_posted_once_to_the_channel_with_the_weeks_numbers_however_often_it_is_enqueued()
    {
        var digests = _bot.Services.GetRequiredService<DigestScheduler>();
        await digests.EnqueueDueAsync(DigestFixture.At, CancellationToken.None);
        await digests.EnqueueDueAsync(DigestFixture.At, CancellationToken.None);
        await DrainAsync();
        await digests.EnqueueDueAsync(_clock.GetUtcNow().AddHours(3), CancellationToken.None);
        await DrainAsync();

        var posted = _connector.ActivitiesIn(DigestFixture.PlatformChannel);
        Assert.That(posted, Has.Count.EqualTo(1));
        var card = Text(posted[0]);
        Assert.That(card, Does.Contain("Weekly digest: Platform").And.Contain("Week 2026-W49"));
        Assert.That(card, Does.Contain("ARR").And.Contain("60 k€ of 100 k€ · on track · confidence 8/10 · +20 since last week"));
        Assert.That(card, Does.Contain("9% now, target 5% (from 10) · off track · confidence 3/10 · -0.5 since last week · expected 66 % by now"));
        Assert.That(card, Does.Contain("\"title\":\"Deploys\",\"value\":\"bob (owner away)\""), "stale, with its owner");
        Assert.That(card, Does.Contain("+20 points of progress this week").And.Contain("confidence up to 8/10"));
        Assert.That(card, Does.Contain("alignment 4.08 / 5 (▲ 0.68 vs previous run) · 83 % favourable · eNPS +17"));
        Assert.That(card, Does.Contain("6 of 8 answered (75 %)"));
        Assert.That(card, Does.Contain("alignment score: 3.40, 4.08; participation: 63 %, 75 %"), "what the chart shows, in words");
        await AssertChartIsServedAsync(posted[0]);
        Assert.That(card, Does.Contain("\"title\":\"Win mid-market\",\"value\":\"serves “Grow revenue”\""));
        Assert.That(card, Does.Contain("Sent because: this channel gets Platform's weekly digest every Monday at 09:00 (Europe/London)."));
    }

    /// <summary>The card's image is the real chart: a PNG the bot serves at the unguessable URL in the card.</summary>
    private async Task AssertChartIsServedAsync(ReceivedActivity posted)
    {
        var image = posted.Json!["attachments"]![0]!["content"]!["body"]!.AsArray().Single(b => (string?)b!["type"] == "Image")!;
        var url = new Uri((string)image["url"]!);
        Assert.That(url.AbsolutePath, Does.Match("^/charts/[A-Za-z0-9_-]{43}\\.png$"));
        Assert.That((string?)image["altText"], Does.StartWith("Trend over the last 2 pulse runs"));
        using var png = await _http.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative));
        Assert.That(png.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That((await png.Content.ReadAsByteArrayAsync())[1..4], Is.EqualTo("PNG"u8.ToArray()));
    }

    [Test]
    public async Task The_roll_up_reaches_the_leader_with_each_teams_line_and_flags_and_no_number_for_a_team_under_the_threshold()
    {
        await _bot.Services.GetRequiredService<DigestScheduler>().EnqueueDueAsync(DigestFixture.At, CancellationToken.None);
        await DrainAsync();

        var rollup = _connector.Activities.Select(Text).Single(a => a.Contains("Leaders' roll-up", StringComparison.Ordinal));
        Assert.That(rollup, Does.Contain("3 teams, 2 with risk flags"));
        Assert.That(rollup, Does.Contain("⚑ **More than 20 points behind expected linear progress**: Churn").And.Contain("⚑ **No check-ins for two cadences**: Deploys"));
        Assert.That(rollup, Does.Contain("⚑ **Participation under 60 %**: 50 % answered “Alignment pulse”").And.Contain("⚑ **Alignment score down 0.5 or more against the previous run**: 4.20 → 3.60"));
        Assert.That(rollup, Does.Contain("Fewer than 5 people answered, so no score is shown").And.Contain("4 of 6 answered (66.7 %)"));
        Assert.That(rollup, Does.Not.Contain("1.00").And.Not.Contain("eNPS -100"), "Payments' four answers (all 1s) never show");
        Assert.That(rollup, Does.Contain("Sent because: you are listed as a leader"));
    }

    [Test]
    public async Task The_digest_command_previews_the_team_for_its_manager_the_roll_up_for_a_leader_and_nothing_for_others()
    {
        Assert.That(await SayAsync("mia", "digest"), Does.Contain("Weekly digest: Platform").And.Contain("Preview: Platform's weekly digest"));
        Assert.That(await SayAsync("lea", "digest"), Does.Contain("Leaders' roll-up").And.Contain("Preview: the leaders' roll-up"));
        Assert.That(await SayAsync("lea", "digest sales"), Does.Contain("Weekly digest: Sales"));
        Assert.That(await SayAsync("mia", "digest sales"), Does.Contain("I don't know a team \\\"sales\\\" that you can see"));
        Assert.That(await SayAsync("alice", "digest"), Does.Contain("Digest previews are for team managers and leaders"));
    }

    [Test]
    public async Task Digest_settings_are_validated_by_field_and_malformed_json_is_a_400()
    {
        using var malformed = await _http.PutAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/digest", UriKind.Relative), new StringContent("{\"day\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((int)malformed.StatusCode, Is.EqualTo(400));
        Assert.That(await malformed.Content.ReadAsStringAsync(), Does.Contain("Malformed JSON"));

        using var invalid = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/digest", new { day = "monday,tuesday", time = "25:00", leadersChannel = "19:nope" });
        Assert.That((int)invalid.StatusCode, Is.EqualTo(400));
        var problems = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.That(problems.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "day", "time" }));
        using var teamInvalid = await _http.PutAsJsonAsync($"/admin/teams/{_fixture.Platform}/digest", new { day = "3" });
        Assert.That(await teamInvalid.Content.ReadAsStringAsync(), Does.Contain("is not a day of the week"));

        using var saved = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/digest", new { day = "friday", time = "16:30", leadersChannel = DigestFixture.LeadersChannel });
        Assert.That((int)saved.StatusCode, Is.EqualTo(200));
        using var team = await _http.PutAsJsonAsync($"/admin/teams/{_fixture.Platform}/digest", new { day = "tuesday", time = "08:00" });
        Assert.That((int)team.StatusCode, Is.EqualTo(200));
        using var unknownChannel = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/digest", new { day = "friday", time = "16:30", leadersChannel = "19:nope" });
        Assert.That(await unknownChannel.Content.ReadAsStringAsync(), Does.Contain("leadersChannel"));

        Assert.That(await _database.ScalarAsync<string>($"""
            SELECT x.digest_weekday || ' ' || x.digest_time || ' ' || c.conversation_id || ' / ' || t.digest_weekday || ' ' || t.digest_time
            FROM tenants x JOIN conversations c ON c.id = x.leaders_conversation_id JOIN teams t ON t.tenant_id = x.id AND t.id = {_fixture.Platform}
            """), Is.EqualTo($"5 16:30:00 {DigestFixture.LeadersChannel} / 2 08:00:00"));
    }
}
