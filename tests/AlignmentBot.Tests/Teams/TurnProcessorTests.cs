using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Teams.Turns;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Storage;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Teams;

/// <summary>What the bot answers and stores for the documented Teams payloads.</summary>
public class TurnProcessorTests
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private TeamsTurnProcessor _turns = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString }).Build());
        services.AddLogging();
        services.AddStorage();
        services.AddTurns();
        services.AddSingleton<ActivityRecorder>();
        services.AddSingleton<TeamsTurnProcessor>();
        services.AddSingleton<ITeamRoster>(new ListedRoster(
            new Member("29:alice", "aad-alice", "Alice Archer"),
            new Member("29:bob", "aad-bob", "Bob Baker"),
            new Member("29:1I9Is_Sx0OIy2rQ7Xz1lcaPKlO9eqmBRTBuW6XzkFtcjqxTjPaCMij8BVMdBcL9L_RwWNJyAHFQb0TRzXgyQvA", null, "Installer")));
        _services = services.BuildServiceProvider();
        _turns = _services.GetRequiredService<TeamsTurnProcessor>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_personal_message_stores_tenant_person_and_conversation()
    {
        await _turns.ProcessAsync(TeamsPayloads.Activity("personal-message"), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await _database.ScalarAsync<string>("SELECT external_id FROM tenants"), Is.EqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47"));
            Assert.That(await _database.ScalarAsync<string>("SELECT display_name FROM people"), Is.EqualTo("Megan Bowen"));
            Assert.That(await _database.ScalarAsync<string>("SELECT aad_object_id FROM people"), Is.EqualTo("c5a6e9b5-1f1d-4f1e-9e2e-7a1f2c3d4e5f"));
            Assert.That(await _database.ScalarAsync<string>(
                "SELECT kind || ' ' || service_url || ' ' || (person_id = (SELECT id FROM people))::text FROM conversations"),
                Is.EqualTo("personal https://smba.trafficmanager.net/emea/ true"));
        });
    }

    [Test]
    public async Task A_changed_service_url_is_stored_on_the_next_activity()
    {
        await _turns.ProcessAsync(TeamsPayloads.Activity("personal-message", "https://smba.trafficmanager.net/emea/"), CancellationToken.None);
        await _turns.ProcessAsync(TeamsPayloads.Activity("personal-message", "https://smba.trafficmanager.net/amer/"), CancellationToken.None);

        Assert.That(await _database.ScalarAsync<string>("SELECT string_agg(service_url, ',') FROM conversations"), Is.EqualTo("https://smba.trafficmanager.net/amer/"));
    }

    [Test]
    public async Task Help_answers_with_the_help_card_listing_the_commands()
    {
        var outcome = await _turns.ProcessAsync(TeamsPayloads.Activity("personal-message"), CancellationToken.None);

        var card = outcome.Replies.Single().Card!;
        Assert.That(card.Title, Is.EqualTo("AlignmentBot"));
        Assert.That(card.Body.OfType<FactList>().SelectMany(f => f.Facts).Select(f => f.Title), Does.Contain("help"));
    }

    [Test]
    public async Task A_channel_message_has_its_mention_stripped_and_is_stored_under_the_channel()
    {
        var outcome = await _turns.ProcessAsync(TeamsPayloads.Activity("channel-mention"), CancellationToken.None);

        Assert.That(outcome.Replies.Single().Card?.Title, Is.EqualTo("AlignmentBot"), "\"<at>AlignmentBot</at> help\" is the help command");
        Assert.That(await _database.ScalarAsync<string>("SELECT kind || ' ' || conversation_id FROM conversations"),
            Is.EqualTo("channel 19:efa9296d959346209fea44151c742e73@thread.skype"), "the thread suffix is not part of the channel");
    }

    [Test]
    public async Task Unknown_text_gets_a_short_hint_to_type_help()
    {
        var activity = TeamsPayloads.Activity("personal-message") with { Text = "what's the weather" };

        var outcome = await _turns.ProcessAsync(activity, CancellationToken.None);

        Assert.That(outcome.Replies.Single().Text, Is.EqualTo("Sorry, I don't know \"what's the weather\". Type help to see what I can do."));
    }

    [Test]
    public async Task Bot_added_to_a_team_stores_the_team_its_general_channel_and_its_roster()
    {
        var outcome = await _turns.ProcessAsync(TeamsPayloads.Activity("bot-added-to-team"), CancellationToken.None);

        Assert.That(outcome.Replies, Is.Empty);
        Assert.Multiple(async () =>
        {
            Assert.That(await _database.ScalarAsync<string>("SELECT name FROM teams WHERE external_id = '19:efa9296d959346209fea44151c742e73@thread.skype'"),
                Is.EqualTo("Product Engineering"));
            Assert.That(await _database.ScalarAsync<string>(
                "SELECT c.kind || ' ' || c.conversation_id FROM teams t JOIN conversations c ON c.id = t.channel_conversation_id"),
                Is.EqualTo("channel 19:efa9296d959346209fea44151c742e73@thread.skype"), "the General channel's id is the team's id");
            Assert.That(await _database.ScalarAsync<string>(
                "SELECT string_agg(p.display_name, ',' ORDER BY p.display_name) FROM team_members tm JOIN people p ON p.id = tm.person_id"),
                Is.EqualTo("Alice Archer,Bob Baker,Installer"));
        });
    }

    [Test]
    public async Task A_personal_install_welcomes_once_and_an_uninstall_marks_the_chat_unreachable()
    {
        var first = await _turns.ProcessAsync(TeamsPayloads.Activity("personal-install"), CancellationToken.None);
        var repeated = await _turns.ProcessAsync(TeamsPayloads.Activity("personal-install"), CancellationToken.None);

        Assert.That(first.Replies.Single().Card?.Title, Is.EqualTo("Hi Megan, I'm AlignmentBot"));
        Assert.That(repeated.Replies, Is.Empty, "Teams sends conversationUpdate and installationUpdate; one welcome is enough");

        await _turns.ProcessAsync(TeamsPayloads.Activity("personal-uninstall"), CancellationToken.None);
        Assert.That(await _database.ScalarAsync<string>("SELECT reachable::text || ' ' || unreachable_reason FROM conversations"),
            Is.EqualTo("false installationUpdate remove"));

        var reinstalled = await _turns.ProcessAsync(TeamsPayloads.Activity("personal-install"), CancellationToken.None);
        Assert.That(reinstalled.Replies.Single().Card, Is.Not.Null, "a reinstall is welcomed again");
        Assert.That(await _database.ScalarAsync<bool>("SELECT reachable FROM conversations"), Is.True);
    }

    [Test]
    public async Task The_two_install_events_Teams_sends_at_once_produce_one_welcome()
    {
        var installation = TeamsPayloads.Activity("personal-install");
        var conversationUpdate = installation with
        {
            Type = ActivityTypes.ConversationUpdate,
            Action = null,
            MembersAdded = [installation.Recipient!, installation.From!],
        };

        var outcomes = await Task.WhenAll(
            _turns.ProcessAsync(installation, CancellationToken.None),
            _turns.ProcessAsync(conversationUpdate, CancellationToken.None));

        Assert.That(outcomes.SelectMany(o => o.Replies).Count(r => r.Card?.Title.StartsWith("Hi", StringComparison.Ordinal) == true), Is.EqualTo(1));
    }

    [Test]
    public async Task The_bot_removed_from_a_team_marks_its_channel_unreachable()
    {
        await _turns.ProcessAsync(TeamsPayloads.Activity("bot-added-to-team"), CancellationToken.None);
        var added = TeamsPayloads.Activity("bot-added-to-team");
        var removed = added with { MembersAdded = null, MembersRemoved = added.MembersAdded };

        await _turns.ProcessAsync(removed, CancellationToken.None);

        Assert.That(await _database.ScalarAsync<bool>("SELECT reachable FROM conversations WHERE kind = 'channel'"), Is.False);
    }

    [Test]
    public async Task An_adaptive_card_action_invoke_is_answered_with_a_refreshed_adaptive_card()
    {
        var outcome = await _turns.ProcessAsync(TeamsPayloads.Activity("adaptive-card-action-invoke"), CancellationToken.None);

        Assert.That(outcome.Invoke, Is.Not.Null);
        Assert.That(outcome.Invoke!.Status, Is.EqualTo(200));
        var body = JsonSerializer.SerializeToElement(outcome.Invoke.Body, ProtocolJson.Options);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("statusCode").GetInt32(), Is.EqualTo(200));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(body.GetProperty("value").GetProperty("type").GetString(), Is.EqualTo("AdaptiveCard"));
            Assert.That(body.GetProperty("value").GetProperty("version").GetString(), Is.EqualTo("1.5"));
        });
    }

    [Test]
    public async Task An_action_submit_message_replaces_the_card_it_came_from()
    {
        var outcome = await _turns.ProcessAsync(TeamsPayloads.Activity("action-submit"), CancellationToken.None);

        Assert.That(outcome.UpdatedCard?.Title, Is.EqualTo("AlignmentBot"), "help.show turns the card into the help card");
        Assert.That(outcome.Replies, Is.Empty);
    }

    [Test]
    public async Task An_unknown_verb_is_answered_politely_not_with_an_error()
    {
        var activity = TeamsPayloads.Activity("adaptive-card-action-invoke");
        var value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = "gone.away", data = new { } }, trigger = "manual" });

        var outcome = await _turns.ProcessAsync(activity with { Value = value }, CancellationToken.None);

        var body = JsonSerializer.SerializeToElement(outcome.Invoke!.Body, ProtocolJson.Options);
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("application/vnd.microsoft.activity.message"));
    }

    private sealed class ListedRoster(params Member[] members) : ITeamRoster
    {
        public Task<IReadOnlyList<Member>?> GetMembersAsync(string serviceUrl, string teamId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Member>?>(members);
    }
}
