using System.Net;
using System.Text;
using System.Text.Json;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Teams;

/// <summary>
/// POST /api/messages in local (unauthenticated, Development) mode: the documented Teams payloads go
/// through the real HTTP pipeline, the real database and a fake Bot Connector that receives the replies.
/// </summary>
public class MessagesEndpointTests
{
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

    private Task<HttpResponseMessage> PostAsync(string payload) =>
        _client.PostAsync("/api/messages", new StringContent(TeamsPayloads.Json(payload, _connector.ServiceUrl), Encoding.UTF8, "application/json"));

    [Test]
    public async Task Help_in_a_personal_chat_is_answered_with_the_help_card_through_the_connector()
    {
        var response = await PostAsync("personal-message");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reply = _connector.Activities.Single();
        Assert.Multiple(() =>
        {
            Assert.That(reply.Operation, Is.EqualTo(FakeOperation.Reply));
            Assert.That(reply.ReplyToId, Is.EqualTo("1732439742312"));
            Assert.That((string?)reply.Json!["attachments"]![0]!["contentType"], Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That((string?)reply.Json!["attachments"]![0]!["content"]!["body"]![0]!["text"], Is.EqualTo("AlignmentBot"));
            Assert.That((string?)reply.Json!["from"]!["id"], Is.EqualTo("28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"), "the bot speaks as itself");
            Assert.That(reply.Json!["text"], Is.Null, "a card goes as its own activity, without text");
        });
    }

    [Test]
    public async Task Bot_added_to_a_team_stores_the_team_and_the_roster_read_from_the_connector()
    {
        _connector.SetRoster("19:efa9296d959346209fea44151c742e73@thread.skype", Enumerable.Range(1, 1203)
            .Select(i => new FakeMember($"29:user-{i}", $"aad-{i}", $"Person {i}")));

        var response = await PostAsync("bot-added-to-team");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_connector.CountOf(FakeOperation.GetMembers), Is.EqualTo(3), "1203 members come in pages of 500");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM team_members"), Is.EqualTo(1203));
        Assert.That(await _database.ScalarAsync<string>("SELECT name FROM teams"), Is.EqualTo("Product Engineering"));
    }

    [Test]
    public async Task An_adaptive_card_action_invoke_gets_the_refreshed_card_in_the_same_response()
    {
        var response = await PostAsync("adaptive-card-action-invoke");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("statusCode").GetInt32(), Is.EqualTo(200));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(root.GetProperty("value").GetProperty("type").GetString(), Is.EqualTo("AdaptiveCard"));
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "statusCode", "type", "value" }));
        });
        Assert.That(_connector.RequestCount, Is.Zero, "an invoke is answered in its own HTTP response, not through the connector");
    }

    [Test]
    public async Task An_action_submit_replaces_the_card_it_came_from()
    {
        await PostAsync("personal-message");
        await _database.ExecuteAsync("""
            INSERT INTO deliveries (tenant_id, person_id, kind, idempotency_key, not_before, status, platform_message_id)
            SELECT tenant_id, id, 'notice', 'sent-card', now(), 'sent', '1:1wkQdxjCs4v1JuWRG0a3Fkm6Rz1dK3Ky' FROM people
            """);
        var before = _connector.Activities.Count;

        var response = await PostAsync("action-submit");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var update = _connector.Activities.Skip(before).Single();
        Assert.That(update.Operation, Is.EqualTo(FakeOperation.Update));
        Assert.That(update.ActivityId, Is.EqualTo("1:1wkQdxjCs4v1JuWRG0a3Fkm6Rz1dK3Ky"));
    }

    [Test]
    public async Task An_action_submit_naming_a_message_the_bot_did_not_send_there_updates_nothing()
    {
        await PostAsync("personal-message");
        // The bot did send this id, but to a channel: a client naming it from a 1:1 chat must not get it overwritten.
        await _database.ExecuteAsync("""
            INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) SELECT id, 'channel', '19:general@thread.tacv2', 'http://127.0.0.1/' FROM tenants;
            INSERT INTO deliveries (tenant_id, conversation_id, kind, idempotency_key, not_before, status, platform_message_id)
            SELECT tenant_id, id, 'notice', 'digest-card', now(), 'sent', '1:1wkQdxjCs4v1JuWRG0a3Fkm6Rz1dK3Ky' FROM conversations WHERE kind = 'channel'
            """);
        var before = _connector.Activities.Count;

        var response = await PostAsync("action-submit");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_connector.Activities.Skip(before).Select(a => a.Operation), Is.EqualTo(new[] { FakeOperation.Send }),
            "the answer comes as a new message; the channel's card is left alone");
    }

    [Test]
    public async Task Malformed_json_is_a_400_and_writes_nothing()
    {
        var response = await _client.PostAsync("/api/messages", new StringContent("{\"type\": \"message\", ", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM tenants"), Is.Zero);
    }

    [Test]
    public async Task A_body_over_256_KB_is_a_413()
    {
        var huge = TeamsPayloads.Json("personal-message", _connector.ServiceUrl).Replace("\"help\"", $"\"{new string('x', 300 * 1024)}\"", StringComparison.Ordinal);

        var response = await _client.PostAsync("/api/messages", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM tenants"), Is.Zero);
    }

    [Test]
    public async Task An_unknown_activity_type_is_accepted_and_ignored()
    {
        var json = TeamsPayloads.Json("personal-message", _connector.ServiceUrl).Replace("\"type\": \"message\"", "\"type\": \"somethingNew\"", StringComparison.Ordinal);

        var response = await _client.PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_connector.RequestCount, Is.Zero);
    }

    [Test]
    public async Task A_reply_refused_with_403_MessageWritesBlocked_marks_the_conversation_unreachable()
    {
        _connector.RespondNext(1, FakeReply.MessageWritesBlocked());

        var response = await PostAsync("personal-message");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<string>("SELECT reachable::text || ' ' || unreachable_reason FROM conversations"),
            Is.EqualTo("false 403 MessageWritesBlocked"));
    }
}
