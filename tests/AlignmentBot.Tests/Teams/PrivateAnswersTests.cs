using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Teams.Turns;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Teams;

/// <summary>
/// Someone asks for something private (their pulse, results, their teams' blockers, a digest preview) where others
/// read along: the answer goes to their 1:1 chat and the channel or group chat hears only that it did.
/// </summary>
public class PrivateAnswersTests
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

    [TestCase("pulse", "channel")]
    [TestCase("results", "channel")]
    [TestCase("okrs team", "channel")]
    [TestCase("digest", "channel")]
    [TestCase("me", "channel")]
    [TestCase("me", "groupChat")]
    [TestCase("results", "groupChat")]
    [TestCase("okrs team", "groupChat")]
    public async Task A_private_command_asked_where_others_read_is_answered_in_the_1_to_1_chat(string command, string where)
    {
        var response = await AskAsync(command, where);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var activities = _connector.Activities;
        var personal = _connector.Conversations.Single().Id;
        var inChat = activities.Where(a => a.ConversationId != personal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(inChat.Select(a => (string?)a.Json!["text"]), Is.EqualTo(new[] { TeamsReplySender.SentPrivately }), "the channel hears only that");
            Assert.That(inChat.Single().Json!["attachments"], Is.Null);
            Assert.That(activities.Count(a => a.ConversationId == personal && a.Operation == FakeOperation.Send), Is.EqualTo(1), "the answer itself, 1:1");
        });
    }

    [Test]
    public async Task A_private_command_in_a_1_to_1_chat_is_answered_there()
    {
        var response = await AskAsync("results", "personal");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_connector.Conversations, Is.Empty, "no other chat is needed");
        Assert.That((string?)_connector.Activities.Single().Json!["text"], Is.Not.EqualTo(TeamsReplySender.SentPrivately));
    }

    [Test]
    public async Task Help_in_a_channel_is_still_answered_in_the_channel()
    {
        await AskAsync("help", "channel");

        Assert.That(_connector.Conversations, Is.Empty);
        Assert.That(_connector.Activities.Single().Json!["attachments"], Is.Not.Null, "the help card, where it was asked");
    }

    private async Task<HttpResponseMessage> AskAsync(string command, string where)
    {
        var activity = JsonNode.Parse(TeamsPayloads.Json(where == "personal" ? "personal-message" : "channel-mention", _connector.ServiceUrl))!.AsObject();
        activity["text"] = where == "personal" ? command : $"<at>AlignmentBot</at> {command}";
        if (where == "groupChat")
        {
            activity["conversation"] = new JsonObject
            {
                ["isGroup"] = true,
                ["conversationType"] = "groupChat",
                ["tenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
                ["id"] = "19:meeting_group@thread.v2",
            };
            activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" } };
        }

        return await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
